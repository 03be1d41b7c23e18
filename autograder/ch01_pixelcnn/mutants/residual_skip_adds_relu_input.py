"""The skip connection adds relu(x) instead of x."""

# ruff: noqa: F821 (MaskedConv2D comes from the reference module this file runs on top of)
import keras

PART = "residual_block"
MISTAKE = (
    "MaskedResidualBlock replaces its input by relu(x) before the convolutions, so the skip "
    "connection adds relu(x); add the input itself and apply the first ReLU in the branch only."
)


class MaskedResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.reduce = MaskedConv2D(filters, 1, "B")
        self.conv = MaskedConv2D(filters, 3, "B")
        self.expand = MaskedConv2D(2 * filters, 1, "B")

    def call(self, inputs):
        inputs = keras.ops.relu(inputs)
        x = self.reduce(inputs)
        x = self.conv(keras.ops.relu(x))
        x = self.expand(keras.ops.relu(x))
        return inputs + x
