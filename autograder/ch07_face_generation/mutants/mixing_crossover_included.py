"""mix_styles gives w1 to the crossover layer too (i <= crossover)."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "style_mixing"
MISTAKE = "mix_styles gives w1 to the crossover layer too (i <= crossover)."


def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers <= crossover, w2 after
    layers = keras.ops.reshape(keras.ops.arange(num_styles), (1, num_styles, 1))
    return keras.ops.where(
        layers <= crossover, broadcast_w(w1, num_styles), broadcast_w(w2, num_styles)
    )
