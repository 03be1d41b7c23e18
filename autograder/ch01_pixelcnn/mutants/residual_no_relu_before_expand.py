"""The ReLU before the last 1x1 convolution of the residual branch is left out."""

# ruff: noqa: F821 (MaskedConv2D comes from the reference module this file runs on top of)
import keras

PART = "residual_block"
MISTAKE = (
    "the residual branch has no ReLU before its last 1x1 convolution; the block is "
    "x + conv1x1(relu(conv3x3(relu(conv1x1(relu(x)))))), a ReLU before each of the three."
)


class MaskedResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.reduce = MaskedConv2D(filters, 1, "B")
        self.spatial = MaskedConv2D(filters, 3, "B")
        self.expand = MaskedConv2D(2 * filters, 1, "B")

    def call(self, inputs):
        x = self.reduce(keras.ops.relu(inputs))
        x = self.spatial(keras.ops.relu(x))
        return inputs + self.expand(x)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters}
