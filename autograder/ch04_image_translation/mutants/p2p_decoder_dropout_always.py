"""Dropout whatever the flag."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = "decoder_block applies Dropout(0.5) even when dropout=False."
NAMED_BY = "must not drop anything when dropout=False"


def decoder_block(x, skip, filters, dropout=False):
    x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = instance_norm()(x)
    x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.ReLU()(x)
    return keras.layers.Concatenate()([x, skip])
