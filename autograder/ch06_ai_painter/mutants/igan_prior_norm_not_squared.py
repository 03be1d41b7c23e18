"""prior_loss takes the norm of z, not half its square."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = "prior_loss takes the norm of z, not half its square."


def prior_loss(z):
    return ops.mean(ops.sqrt(ops.sum(ops.square(z), axis=-1)))
