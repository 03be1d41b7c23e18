"""PixelNorm normalises by the mean square over the whole image (height, width and channels) instead of each pixel's channels."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "pixel_norm"
MISTAKE = "PixelNorm normalises by the mean square over the whole image (height, width and channels) instead of each pixel's channels."


class PixelNorm(keras.layers.Layer):
    # Each pixel's feature vector (the last axis) divided by its root mean square.

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        mean_square = keras.ops.mean(keras.ops.square(x), axis=(1, 2, 3), keepdims=True)
        return x * keras.ops.rsqrt(mean_square + self.epsilon)
