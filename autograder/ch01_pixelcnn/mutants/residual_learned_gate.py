"""A learned scale on the residual branch: an extra trainable weight the formula does not have."""

# ruff: noqa: F821 (MaskedConv2D comes from the reference module this file runs on top of)
import keras

PART = "residual_block"
MISTAKE = (
    "MaskedResidualBlock adds a trainable weight of its own (a learned scale on the branch) "
    "that the block's formula does not have; the block holds only its three convolutions."
)


class MaskedResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.reduce = MaskedConv2D(filters, 1, "B")
        self.conv = MaskedConv2D(filters, 3, "B")
        self.expand = MaskedConv2D(2 * filters, 1, "B")
        self.gate = self.add_weight(name="gate", shape=(), initializer="ones")

    def call(self, inputs):
        x = self.reduce(keras.ops.relu(inputs))
        x = self.conv(keras.ops.relu(x))
        x = self.expand(keras.ops.relu(x))
        return inputs + self.gate * x
