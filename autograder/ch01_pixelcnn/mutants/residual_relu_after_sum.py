"""ReLU after the sum."""

# ruff: noqa: F821 (MaskedConv2D comes from the reference module this file runs on top of)
import keras

PART = "residual_block"
MISTAKE = "MaskedResidualBlock applies a ReLU after adding the input; return the sum as it is."


class MaskedResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.reduce = MaskedConv2D(filters, 1, "B")
        self.conv = MaskedConv2D(filters, 3, "B")
        self.expand = MaskedConv2D(2 * filters, 1, "B")

    def call(self, inputs):
        x = self.reduce(keras.ops.relu(inputs))
        x = self.conv(keras.ops.relu(x))
        x = self.expand(keras.ops.relu(x))
        return keras.ops.relu(inputs + x)
