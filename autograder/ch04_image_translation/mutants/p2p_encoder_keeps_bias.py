"""The encoder's convolution keeps its bias."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = "encoder_block's convolution has a bias; the task asks for none (use_bias=False)."
NAMED_BY = "without bias"


def encoder_block(x, filters, normalize=True):
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    if normalize:
        x = instance_norm()(x)
    return keras.layers.LeakyReLU(0.2)(x)
