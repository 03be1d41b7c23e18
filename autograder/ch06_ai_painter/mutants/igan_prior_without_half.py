"""prior_loss leaves out the 0.5: the mean over the batch of sum(z ** 2)."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = "prior_loss leaves out the 0.5: the mean over the batch of sum(z ** 2)."


def prior_loss(z):
    return ops.mean(ops.sum(ops.square(z), axis=-1))
