"""The style encoder leaves the LeakyReLU(0.2) off its third convolution, just before Flatten."""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "style_encoder"
MISTAKE = (
    "The style encoder leaves the LeakyReLU(0.2) off its third convolution, just before Flatten."
)


def build_style_encoder(z_dim=64, filters=32, image_size=IMAGE_SIZE, channels=1):
    images = keras.Input((image_size, image_size, channels))
    x = images
    for k, f in enumerate((filters, 2 * filters, 4 * filters)):
        x = keras.layers.Conv2D(f, 3, strides=2, padding="same")(x)
        if k < 2:
            x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(images, [keras.layers.Dense(z_dim)(x), keras.layers.Dense(z_dim)(x)])
