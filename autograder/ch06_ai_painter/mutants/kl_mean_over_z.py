"""kl_divergence takes the mean over the z axis instead of its sum."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = "kl_divergence takes the mean over the z axis instead of its sum."


def kl_divergence(mean, log_var):
    return ops.mean(-0.5 * ops.mean(1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1))
