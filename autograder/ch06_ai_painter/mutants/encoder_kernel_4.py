"""The style encoder's convolutions use 4 x 4 kernels (as in the discriminator) instead of 3 x 3."""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "style_encoder"
MISTAKE = (
    "The style encoder's convolutions use 4 x 4 kernels (as in the discriminator) instead of 3 x 3."
)


def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    images = keras.Input((image_size, image_size, channels))
    x = images
    for f in (filters, 2 * filters, 4 * filters):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(f, 4, strides=2, padding="same")(x))
    x = keras.layers.Flatten()(x)
    return keras.Model(images, [keras.layers.Dense(z_dim)(x), keras.layers.Dense(z_dim)(x)])
