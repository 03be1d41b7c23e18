"""kl_divergence written with NumPy functions: right values, but no gradient and no graph."""

import numpy as np

PART = "kl_divergence"
MISTAKE = (
    "kl_divergence is written with NumPy functions (np.exp, np.sum, np.mean), which turn the "
    "tensors into arrays: no gradient reaches mean and logvar, and it fails inside a tf.function."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - np.square(mean) - np.exp(logvar)
    return np.mean(-0.5 * np.sum(per_dim, axis=-1))
