"""Batch normalisation instead of instance normalisation in the encoder."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = (
    "encoder_block normalises with BatchNormalization; pix2pix normalises each image on its "
    "own (instance norm)."
)
NAMED_BY = "that is batch normalisation"


def encoder_block(x, filters, normalize=True):
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False)(x)
    if normalize:
        x = keras.layers.BatchNormalization()(x)
    return keras.layers.LeakyReLU(0.2)(x)
