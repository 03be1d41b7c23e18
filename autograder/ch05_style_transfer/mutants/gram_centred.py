"""gram_matrix subtracts each channel's spatial mean first: a covariance matrix, not the Gram
matrix."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "gram_matrix"
MISTAKE = (
    "gram_matrix subtracts each channel's spatial mean first: a covariance matrix, not the "
    "Gram matrix."
)


def gram_matrix(features):
    shape = keras.ops.shape(features)
    centred = features - keras.ops.mean(features, axis=(1, 2), keepdims=True)
    positions = keras.ops.cast(shape[1] * shape[2], features.dtype)
    return keras.ops.einsum("bhwc,bhwd->bcd", centred, centred) / positions
