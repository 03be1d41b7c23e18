"""channel_moments adds epsilon after the square root, sqrt(variance) + epsilon, instead of
inside it."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments adds epsilon after the square root, sqrt(variance) + epsilon, "
    "instead of inside it."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)
    return mean, keras.ops.sqrt(variance) + epsilon
