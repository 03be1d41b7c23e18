"""LeakyReLU at Keras's default slope."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = "encoder_block uses LeakyReLU() at Keras's default slope 0.3 instead of 0.2."
NAMED_BY = "default slope is 0.3"


def encoder_block(x, filters, normalize=True):
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if normalize:
        x = instance_norm()(x)
    return keras.layers.LeakyReLU()(x)
