"""AdaIN adds epsilon to the standard deviation instead of to the variance inside the root."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "adain_modulation"
MISTAKE = "AdaIN adds epsilon to the standard deviation instead of to the variance inside the root."


class AdaIN(keras.layers.Layer):
    # adain(x, w): each channel of x normalised over its pixels, then scaled and shifted by
    # y_s = A_s w + 1 and y_b = A_b w

    def __init__(self, channels, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.epsilon = epsilon
        self.to_scale = keras.layers.Dense(channels, bias_initializer="ones")
        self.to_bias = keras.layers.Dense(channels)

    def call(self, x, w):
        mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
        variance = keras.ops.var(x, axis=(1, 2), keepdims=True)
        normalized = (x - mean) / (keras.ops.sqrt(variance) + self.epsilon)
        scale = self.to_scale(w)[:, None, None, :]
        bias = self.to_bias(w)[:, None, None, :]
        return scale * normalized + bias
