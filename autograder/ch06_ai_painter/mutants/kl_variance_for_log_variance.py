"""kl_divergence treats log_var as the variance: it takes log(log_var) where log_var is, and
log_var where exp(log_var) is.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "gaugan_losses"
MISTAKE = (
    "kl_divergence treats log_var as the variance: it takes log(log_var) where log_var is, "
    "and log_var where exp(log_var) is."
)


def kl_divergence(mean, log_var):
    variance = ops.abs(log_var) + 1e-6
    return ops.mean(-0.5 * ops.sum(1.0 + ops.log(variance) - ops.square(mean) - variance, axis=-1))
