"""The encoder's convolutions keep Keras' default padding='valid'."""

import keras

PART = "encoder"
MISTAKE = (
    "the encoder's convolutions use Keras' default padding='valid', so the maps shrink to "
    "13 x 13 and 6 x 6 instead of 14 x 14 and 7 x 7."
)
NAMED_BY = "the convolutions need padding='same'"


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, activation="relu")(h)
    h = keras.layers.Flatten()(h)
    return keras.Model(images, keras.layers.Dense(latent_dim)(h))
