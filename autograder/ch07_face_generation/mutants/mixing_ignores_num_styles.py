"""mix_styles makes NUM_STYLES styles whatever num_styles it is given."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "style_mixing"
MISTAKE = "mix_styles makes NUM_STYLES styles whatever num_styles it is given."


def mix_styles(w1, w2, crossover, num_styles=NUM_STYLES):
    # (batch, latent) twice -> (batch, num_styles, latent): w1 for layers < crossover, w2 after
    layers = keras.ops.reshape(keras.ops.arange(NUM_STYLES), (1, NUM_STYLES, 1))
    return keras.ops.where(layers < crossover, broadcast_w(w1), broadcast_w(w2))
