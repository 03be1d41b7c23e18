"""residual_block returns the branch alone, without adding its input (no skip connection)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "resnet_generator"
MISTAKE = "residual_block returns the branch alone, without adding its input (no skip connection)."


def residual_block(x, filters):
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    y = keras.layers.ReLU()(instance_norm()(y))
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    return instance_norm()(y)
