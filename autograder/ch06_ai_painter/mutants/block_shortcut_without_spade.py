"""SPADEResBlock's learned shortcut is a 1 x 1 convolution of x alone, without its SPADE."""

# ruff: noqa: F821 (names from the notebook)

import keras

PART = "spade_block"
MISTAKE = "SPADEResBlock's learned shortcut is a 1 x 1 convolution of x alone, without its SPADE."


class SPADEResBlock(keras.layers.Layer):
    def __init__(self, filters, hidden=64, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.hidden = filters, hidden

    def build(self, input_shape):
        channels = input_shape[-1]
        middle = min(channels, self.filters)
        self.spade_1 = SPADE(self.hidden)
        self.conv_1 = keras.layers.Conv2D(middle, 3, padding="same")
        self.spade_2 = SPADE(self.hidden)
        self.conv_2 = keras.layers.Conv2D(self.filters, 3, padding="same")
        self.spade_skip = self.conv_skip = None
        if channels != self.filters:
            self.spade_skip = SPADE(self.hidden)
            self.conv_skip = keras.layers.Conv2D(self.filters, 1, use_bias=False)

    def call(self, x, label_map):
        h = self.conv_1(keras.activations.leaky_relu(self.spade_1(x, label_map), 0.2))
        h = self.conv_2(keras.activations.leaky_relu(self.spade_2(h, label_map), 0.2))
        skip = x if self.conv_skip is None else self.conv_skip(x)
        return h + skip
