"""gram_matrix divides by H * W * C instead of H * W."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "gram_matrix"
MISTAKE = "gram_matrix divides by H * W * C instead of H * W."


def gram_matrix(features):
    shape = keras.ops.shape(features)
    count = keras.ops.cast(shape[1] * shape[2] * shape[3], features.dtype)
    return keras.ops.einsum("bhwc,bhwd->bcd", features, features) / count
