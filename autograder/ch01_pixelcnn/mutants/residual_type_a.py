"""Type A masks inside the residual block."""

# ruff: noqa: F821 (MaskedConv2D comes from the reference module this file runs on top of)
import keras

PART = "residual_block"
MISTAKE = (
    "MaskedResidualBlock uses type A masks; only the first layer of the model is type A, "
    "the residual blocks use type B."
)


class MaskedResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.reduce = MaskedConv2D(filters, 1, "A")
        self.conv = MaskedConv2D(filters, 3, "A")
        self.expand = MaskedConv2D(2 * filters, 1, "A")

    def call(self, inputs):
        x = self.reduce(keras.ops.relu(inputs))
        x = self.conv(keras.ops.relu(x))
        x = self.expand(keras.ops.relu(x))
        return inputs + x
