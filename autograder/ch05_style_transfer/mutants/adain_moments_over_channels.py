"""channel_moments takes the statistics over the channels (axis -1) instead of over height and
width."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments takes the statistics over the channels (axis -1) instead of over "
    "height and width."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=-1, keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=-1, keepdims=True)
    return mean, keras.ops.sqrt(variance + epsilon)
