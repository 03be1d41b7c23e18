"""Each ReLU of the residual branch after its convolution instead of before it."""

# ruff: noqa: F821 (MaskedConv2D comes from the reference module this file runs on top of)
import keras

PART = "residual_block"
MISTAKE = (
    "each ReLU comes after its convolution instead of before it: the first convolution sees "
    "the raw input and the branch ends in a ReLU; the block is x + conv(relu(conv(relu(conv("
    "relu(x))))))."
)


class MaskedResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.convs = [
            MaskedConv2D(filters, 1, "B"),
            MaskedConv2D(filters, 3, "B"),
            MaskedConv2D(2 * filters, 1, "B"),
        ]

    def call(self, inputs):
        x = inputs
        for conv in self.convs:
            x = keras.ops.relu(conv(x))
        return inputs + x

    def get_config(self):
        return {**super().get_config(), "filters": self.filters}
