"""gram_matrix flattens the batch with the positions (the book's squeeze and batch_flatten assume
one image): every sample gets the batch's Gram matrix."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "gram_matrix"
MISTAKE = (
    "gram_matrix flattens the batch with the positions (the book's squeeze and "
    "batch_flatten assume one image): every sample gets the batch's Gram matrix."
)


def gram_matrix(features):
    shape = keras.ops.shape(features)
    flat = keras.ops.reshape(features, (-1, shape[-1]))  # (B * H * W, C)
    count = keras.ops.cast(keras.ops.shape(flat)[0], features.dtype)
    gram = keras.ops.matmul(keras.ops.transpose(flat), flat) / count
    return keras.ops.repeat(gram[None], shape[0], axis=0)
