"""The equalised layers create their biases as non-trainable weights."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "equalized_layers"
MISTAKE = "The equalised layers create their biases as non-trainable weights."


class EqualizedDense(keras.layers.Layer):
    # A dense layer whose N(0, 1) kernel is scaled by gain / sqrt(fan_in) at every call.

    def __init__(self, units, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain

    def build(self, input_shape):
        # self.kernel (fan_in, units) from N(0, 1), self.bias (units,) of zeros
        fan_in = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.units,), initializer="zeros", name="bias", trainable=False
        )
        self.scale = self.gain / math.sqrt(fan_in)

    def call(self, x):
        # x @ (kernel * gain / sqrt(fan_in)) + bias
        return keras.ops.matmul(x, self.kernel * self.scale) + self.bias


class EqualizedConv2D(keras.layers.Layer):
    # A same-padded convolution whose N(0, 1) kernel is scaled by gain / sqrt(k * k * C_in).

    def __init__(self, filters, kernel_size=3, gain=HE_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.gain = gain

    def build(self, input_shape):
        # self.kernel (k, k, C_in, filters) from N(0, 1), self.bias (filters,) of zeros
        size, channels = self.kernel_size, input_shape[-1]
        self.kernel = self.add_weight(
            shape=(size, size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(0.0, 1.0),
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.filters,), initializer="zeros", name="bias", trainable=False
        )
        self.scale = self.gain / math.sqrt(size * size * channels)

    def call(self, x):
        # the stride-1, same-padded convolution with kernel * gain / sqrt(k * k * C_in), + bias
        return keras.ops.conv(x, self.kernel * self.scale, padding="same") + self.bias
