"""The inverse encoder's second convolution has as many filters as the first (filters) instead of
2 * filters.
"""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "inverse_encoder"
MISTAKE = (
    "The inverse encoder's second convolution has as many filters as the first (filters) "
    "instead of 2 * filters."
)


def build_inverse_encoder(z_dim=Z_DIM, filters=32):
    images = keras.Input((28, 28, 1))
    x = images
    for f in (filters, filters):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(f, 3, strides=2, padding="same")(x))
    return keras.Model(images, keras.layers.Dense(z_dim)(keras.layers.Flatten()(x)))
