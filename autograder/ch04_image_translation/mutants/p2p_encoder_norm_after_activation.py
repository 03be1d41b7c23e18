"""The encoder normalises after its LeakyReLU."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = (
    "encoder_block applies the LeakyReLU before the instance norm; the task normalises the "
    "convolution's output and then applies the activation."
)
NAMED_BY = "the normalisation comes after the activation"


def encoder_block(x, filters, normalize=True):
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    if normalize:
        x = instance_norm()(x)
    return x
