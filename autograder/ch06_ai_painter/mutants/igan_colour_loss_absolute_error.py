"""masked_colour_loss uses the absolute difference |image - target| instead of the squared
difference.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = (
    "masked_colour_loss uses the absolute difference |image - target| instead of the squared "
    "difference."
)


def masked_colour_loss(images, targets, masks):
    images, targets, masks = (ops.convert_to_tensor(a, "float32") for a in (images, targets, masks))
    error = ops.sum(masks * ops.abs(images - targets), axis=(1, 2, 3))
    return ops.mean(error / ops.maximum(ops.sum(masks, axis=(1, 2, 3)), 1.0))
