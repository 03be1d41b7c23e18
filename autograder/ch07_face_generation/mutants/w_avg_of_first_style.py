"""track_w_avg updates the mean with the batch's first style instead of the batch's mean."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "truncation"
MISTAKE = "track_w_avg updates the mean with the batch's first style instead of the batch's mean."


def truncate(w, w_avg, psi):
    # w pulled toward the mean style: w_avg + psi * (w - w_avg)
    return w_avg + psi * (w - w_avg)


def track_w_avg(w_avg, w, decay=0.995):
    # the moving average of the mean style, updated with a batch of styles w (batch, latent)
    return decay * w_avg + (1.0 - decay) * w[0]
