"""SPADEResBlock uses plain ReLU after both SPADE layers instead of LeakyReLU(0.2)."""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "spade_block"
MISTAKE = "SPADEResBlock uses plain ReLU after both SPADE layers instead of LeakyReLU(0.2)."


class SPADEResBlock(keras.layers.Layer):
    def __init__(self, filters, hidden=64, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.hidden = filters, hidden

    def build(self, x_shape, label_map_shape):
        channels = x_shape[-1]
        self.spade_1 = SPADE(self.hidden)
        self.conv_1 = keras.layers.Conv2D(min(channels, self.filters), 3, padding="same")
        self.spade_2 = SPADE(self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, 3, padding="same")
        self.spade_skip = self.conv_skip = None
        if channels != self.filters:
            self.spade_skip = SPADE(self.hidden)
            self.conv_skip = keras.layers.Conv2D(self.filters, 1, use_bias=False)

    def call(self, x, label_map):
        h = self.conv_1(keras.ops.relu(self.spade_1(x, label_map)))
        h = self.conv_2(keras.ops.relu(self.spade_2(h, label_map)))
        skip = x if self.conv_skip is None else self.conv_skip(self.spade_skip(x, label_map))
        return h + skip
