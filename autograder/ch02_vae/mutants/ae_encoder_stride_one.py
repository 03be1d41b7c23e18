"""The encoder's convolutions keep stride 1: nothing is downsampled."""

import keras

PART = "encoder"
MISTAKE = (
    "the encoder's convolutions use stride 1, so the image is never downsampled and the "
    "Dense layer sees 28 x 28 x 2F features instead of 7 x 7 x 2F."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, padding="same", activation="relu")(h)
    h = keras.layers.Flatten()(h)
    return keras.Model(images, keras.layers.Dense(latent_dim)(h))
