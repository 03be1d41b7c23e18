"""The first transposed convolution has stride 1: the images come out 14 x 14."""

import keras

PART = "decoder"
MISTAKE = (
    "one of the decoder's transposed convolutions has strides=1, so the images come out "
    "14 x 14 instead of 28 x 28."
)


def build_decoder(latent_dim, filters=32):
    codes = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * 2 * filters, activation="relu")(codes)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(2 * filters, 3, padding="same", activation="relu")(h)
    h = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(h)
    images = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    return keras.Model(codes, images)
