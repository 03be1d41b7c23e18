"""masked_colour_loss compares every pixel with the target, drawn or not: the mask is never used."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = (
    "masked_colour_loss compares every pixel with the target, drawn or not: the mask is never used."
)


def masked_colour_loss(images, targets, masks):
    return ops.mean(ops.square(images - targets))
