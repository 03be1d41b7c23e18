"""masked_colour_loss divides by sum(mask) without max(., 1), so an empty mask gives NaN."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = "masked_colour_loss divides by sum(mask) without max(., 1), so an empty mask gives NaN."


def masked_colour_loss(images, targets, masks):
    squared = masks * ops.square(images - targets)
    return ops.mean(ops.sum(squared, axis=(1, 2, 3)) / ops.sum(masks, axis=(1, 2, 3)))
