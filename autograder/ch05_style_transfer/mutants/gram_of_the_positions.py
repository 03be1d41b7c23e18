"""gram_matrix multiplies F by its transpose the other way round: an (H * W) x (H * W) matrix of
positions, not C x C of channels."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "gram_matrix"
MISTAKE = (
    "gram_matrix multiplies F by its transpose the other way round: an (H * W) x (H * W) "
    "matrix of positions, not C x C of channels."
)


def gram_matrix(features):
    shape = keras.ops.shape(features)
    flat = keras.ops.reshape(features, (shape[0], shape[1] * shape[2], shape[3]))
    positions = keras.ops.cast(shape[1] * shape[2], features.dtype)
    return keras.ops.matmul(flat, keras.ops.transpose(flat, (0, 2, 1))) / positions
