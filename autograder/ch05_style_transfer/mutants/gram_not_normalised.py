"""gram_matrix sums the products over the positions without dividing by H * W."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "gram_matrix"
MISTAKE = "gram_matrix sums the products over the positions without dividing by H * W."


def gram_matrix(features):
    return keras.ops.einsum("bhwc,bhwd->bcd", features, features)
