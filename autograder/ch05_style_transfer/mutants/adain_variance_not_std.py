"""channel_moments returns the variance (plus epsilon) where the standard deviation is asked:
the square root is missing."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments returns the variance (plus epsilon) where the standard deviation is "
    "asked: the square root is missing."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)
    return mean, variance + epsilon
