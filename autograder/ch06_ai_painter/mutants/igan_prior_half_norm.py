"""prior_loss takes 0.5 * |z|, half the length of z, instead of 0.5 * |z| ** 2, half its square."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = (
    "prior_loss takes 0.5 * |z|, half the length of z, instead of 0.5 * |z| ** 2, half its square."
)


def prior_loss(z):
    z = ops.convert_to_tensor(z, "float32")
    return ops.mean(0.5 * ops.norm(z, axis=-1))
