"""A ReLU where the encoder needs a LeakyReLU."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = "encoder_block ends in a ReLU instead of LeakyReLU(0.2)."
NAMED_BY = "lets negative values through with slope 0.000"


def encoder_block(x, filters, normalize=True):
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if normalize:
        x = instance_norm()(x)
    return keras.layers.ReLU()(x)
