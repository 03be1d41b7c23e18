"""The decoder's ReLU before its instance norm."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "unet_blocks"
MISTAKE = (
    "decoder_block applies the ReLU before the instance norm, so its own channels are not "
    "ReLU outputs."
)
NAMED_BY = "end them with a ReLU"


def decoder_block(x, skip, filters, dropout=False):
    x = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = keras.layers.ReLU()(x)
    if dropout:
        x = keras.layers.Dropout(0.5)(x)
    x = instance_norm()(x)
    return keras.layers.Concatenate()([x, skip])
