"""prior_loss takes the mean over the z axis instead of the sum."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = "prior_loss takes the mean over the z axis instead of the sum."


def prior_loss(z):
    return ops.mean(0.5 * ops.mean(ops.square(z), axis=-1))
