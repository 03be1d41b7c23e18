"""sample_style scales the noise by exp(log_var), the variance, instead of exp(log_var / 2), the
standard deviation.
"""

# ruff: noqa: F821 (names from the notebook)

import keras
from keras import ops

PART = "style_encoder"
MISTAKE = (
    "sample_style scales the noise by exp(log_var), the variance, instead of exp(log_var / "
    "2), the standard deviation."
)


def sample_style(mean, log_var, seed=None):
    return mean + ops.exp(log_var) * keras.random.normal(ops.shape(mean), seed=seed)
