"""sample_style draws its noise with a fixed integer seed, so every call adds the same noise."""

# ruff: noqa: F821 (names from the notebook)

import keras
from keras import ops

PART = "style_encoder"
MISTAKE = (
    "sample_style draws its noise with a fixed integer seed, so every call adds the same noise."
)


def sample_style(mean, log_var, seed=None):
    return mean + ops.exp(0.5 * log_var) * keras.random.normal(ops.shape(mean), seed=1)
