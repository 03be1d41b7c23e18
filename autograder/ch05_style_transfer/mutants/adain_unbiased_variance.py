"""channel_moments divides the squared deviations by H * W - 1 (the unbiased variance) instead
of H * W."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments divides the squared deviations by H * W - 1 (the unbiased variance) "
    "instead of H * W."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    count = keras.ops.cast(keras.ops.shape(x)[1] * keras.ops.shape(x)[2], "float32")
    squares = keras.ops.sum(keras.ops.square(x - mean), axis=(1, 2), keepdims=True)
    return mean, keras.ops.sqrt(squares / (count - 1.0) + epsilon)
