"""The decoder block leaves out the instance norm."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = "decoder_block has no instance normalisation after the transposed convolution."
NAMED_BY = "and the instance norm's scale and offset"


def decoder_block(x, skip, filters, dropout=False):
    x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if dropout:
        x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.ReLU()(x)
    return keras.layers.Concatenate()([x, skip])
