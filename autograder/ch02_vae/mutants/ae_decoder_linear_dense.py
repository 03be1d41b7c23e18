"""No ReLU after the decoder's Dense layer."""

import keras

PART = "decoder"
MISTAKE = (
    "the decoder's Dense layer has no ReLU, so the first two layers collapse into one linear "
    "map of the code."
)


def build_decoder(latent_dim, filters=32):
    codes = keras.Input((latent_dim,))
    h = keras.layers.Dense(7 * 7 * 2 * filters)(codes)
    h = keras.layers.Reshape((7, 7, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(2 * filters, 3, strides=2, padding="same", activation="relu")(
        h
    )
    h = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(h)
    images = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    return keras.Model(codes, images)
