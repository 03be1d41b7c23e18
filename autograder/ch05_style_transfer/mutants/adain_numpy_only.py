"""adain computes with NumPy (np.mean, np.sqrt on arrays), which fails on the symbolic tensors
of a tf.function."""

# ruff: noqa: F821 (names from the notebook)
import numpy as np

PART = "adain"
MISTAKE = (
    "adain computes with NumPy (np.mean, np.sqrt on arrays), which fails on the symbolic "
    "tensors of a tf.function."
)


def channel_moments(x, epsilon=EPSILON):
    x = np.asarray(x, np.float32)
    mean = x.mean(axis=(1, 2), keepdims=True)
    return mean, np.sqrt(x.var(axis=(1, 2), keepdims=True) + epsilon)
