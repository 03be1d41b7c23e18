"""residual_block puts a ReLU after the sum x + F(x)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "resnet_generator"
MISTAKE = "residual_block puts a ReLU after the sum x + F(x)."
NAMED_BY = "an activation follows the sum"


def residual_block(x, filters):
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    y = keras.layers.ReLU()(instance_norm()(y))
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = instance_norm()(y)
    return keras.layers.ReLU()(keras.layers.Add()([x, y]))
