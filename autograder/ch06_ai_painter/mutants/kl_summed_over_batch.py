"""kl_divergence sums over the batch instead of taking its mean."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = "kl_divergence sums over the batch instead of taking its mean."


def kl_divergence(mean, log_var):
    return -0.5 * ops.sum(1.0 + log_var - ops.square(mean) - ops.exp(log_var))
