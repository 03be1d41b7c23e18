"""masked_colour_loss divides the batch's summed masked errors by the batch's drawn pixels, instead
of averaging each image's mean, so images with big strokes weigh more.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = (
    "masked_colour_loss divides the batch's summed masked errors by the batch's drawn pixels,"
    " instead of averaging each image's mean, so images with big strokes weigh more."
)


def masked_colour_loss(images, targets, masks):
    squared = masks * ops.square(images - targets)
    return ops.sum(squared) / ops.maximum(ops.sum(masks), 1.0)
