"""The Wasserstein losses written with np.mean: NumPy values, which no tape can differentiate and
which fail on the symbolic tensors of a tf.function."""

import numpy as np

PART = "wasserstein_losses"
MISTAKE = (
    "The losses are computed with NumPy (np.mean): they return NumPy numbers, so no gradient "
    "reaches the scores and they fail inside a tf.function; use tf.reduce_mean or keras.ops.mean."
)


def critic_loss(real_scores, fake_scores):
    return np.mean(fake_scores) - np.mean(real_scores)


def wgan_generator_loss(fake_scores):
    return -np.mean(fake_scores)
