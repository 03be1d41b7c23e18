"""The inverse encoder uses ReLU after its convolutions instead of LeakyReLU(0.2)."""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "inverse_encoder"
MISTAKE = "The inverse encoder uses ReLU after its convolutions instead of LeakyReLU(0.2)."


def build_inverse_encoder(z_dim=Z_DIM, filters=32):
    images = keras.Input((28, 28, 1))
    x = images
    for f in (filters, 2 * filters):
        x = keras.layers.ReLU()(keras.layers.Conv2D(f, 3, strides=2, padding="same")(x))
    return keras.Model(images, keras.layers.Dense(z_dim)(keras.layers.Flatten()(x)))
