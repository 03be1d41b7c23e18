"""channel_moments leaves epsilon out: sqrt(variance), which is 0 for a flat channel, so adain
divides by zero."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments leaves epsilon out: sqrt(variance), which is 0 for a flat channel, "
    "so adain divides by zero."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)
    return mean, keras.ops.sqrt(variance)
