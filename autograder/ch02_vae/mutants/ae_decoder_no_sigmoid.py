"""The decoder ends without its sigmoid."""

import keras

PART = "decoder"
MISTAKE = (
    "the decoder's last convolution has no sigmoid, so its outputs are not pixel values in "
    "[0, 1] and the binary cross-entropy cannot be computed."
)


def build_decoder(latent_dim, filters=32):
    codes = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * 2 * filters, activation="relu")(codes)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(2 * filters, 3, strides=2, padding="same", activation="relu")(
        h
    )
    h = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(h)
    return keras.Model(codes, keras.layers.Conv2D(1, 3, padding="same")(h))
