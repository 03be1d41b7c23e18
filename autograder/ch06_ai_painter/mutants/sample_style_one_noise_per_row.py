"""sample_style draws one noise value per row and adds it to every number of the row, instead of
noise of the mean's whole shape.
"""

# ruff: noqa: F821 (names from the notebook)

import keras
from keras import ops

PART = "style_encoder"
MISTAKE = (
    "sample_style draws one noise value per row and adds it to every number of the row, "
    "instead of noise of the mean's whole shape."
)


def sample_style(mean, log_var, seed=None):
    eps = keras.random.normal((ops.shape(mean)[0], 1), seed=seed)
    return mean + ops.exp(0.5 * log_var) * eps
