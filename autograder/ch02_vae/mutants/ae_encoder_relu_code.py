"""A ReLU on the code: the codes can never be negative."""

import keras

PART = "encoder"
MISTAKE = (
    "the encoder's last Dense layer has a ReLU, so no code is ever negative and half of the "
    "latent space is wasted; the code needs no activation."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    h = keras.layers.Flatten()(h)
    return keras.Model(images, keras.layers.Dense(latent_dim, activation="relu")(h))
