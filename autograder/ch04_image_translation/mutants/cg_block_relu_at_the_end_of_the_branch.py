"""residual_block ends its branch with a ReLU before the sum (the second convolution activated
too)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "resnet_generator"
MISTAKE = (
    "residual_block ends its branch with a ReLU before the sum (the second "
    "convolution activated too)."
)


def residual_block(x, filters):
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    y = keras.layers.ReLU()(instance_norm()(y))
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = keras.layers.ReLU()(instance_norm()(y))
    return keras.layers.Add()([x, y])
