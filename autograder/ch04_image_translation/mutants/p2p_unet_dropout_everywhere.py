"""Dropout in every decoder block."""

# ruff: noqa: F821 (names from the notebook)
import keras

IMAGE_SIZE = 32

PART = "unet"
MISTAKE = "build_unet turns dropout on in all three decoder blocks; only the two innermost have it."
NAMED_BY = "dropout in the two innermost decoder blocks only"


def build_unet(filters=16, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    e1 = encoder_block(inputs, filters, normalize=False)  # 16 x 16
    e2 = encoder_block(e1, 2 * filters)  # 8 x 8
    e3 = encoder_block(e2, 4 * filters)  # 4 x 4
    bottleneck = encoder_block(e3, 4 * filters)  # 2 x 2
    x = decoder_block(bottleneck, e3, 4 * filters, dropout=True)  # 4 x 4
    x = decoder_block(x, e2, 2 * filters, dropout=True)  # 8 x 8
    x = decoder_block(x, e1, filters, dropout=True)  # 16 x 16
    outputs = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh"
    )(x)
    return keras.Model(inputs, outputs, name="unet")
