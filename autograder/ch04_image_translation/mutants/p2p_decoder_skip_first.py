"""The skip joined before the block's own channels."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = "decoder_block concatenates [skip, x] instead of [x, skip]."
NAMED_BY = "in that order"


def decoder_block(x, skip, filters, dropout=False):
    x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = instance_norm()(x)
    if dropout:
        x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.ReLU()(x)
    return keras.layers.Concatenate()([skip, x])
