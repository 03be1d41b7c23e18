"""channel_moments takes the statistics over the batch as well as height and width (axis=(0, 1,
2)), as a batch normalisation does."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments takes the statistics over the batch as well as height and width "
    "(axis=(0, 1, 2)), as a batch normalisation does."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=(0, 1, 2), keepdims=True)
    variance = keras.ops.mean(keras.ops.square(x - mean), axis=(0, 1, 2), keepdims=True)
    return mean, keras.ops.sqrt(variance + epsilon)
