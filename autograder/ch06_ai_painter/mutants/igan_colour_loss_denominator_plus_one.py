"""masked_colour_loss divides by sum(mask) + 1 instead of max(sum(mask), 1)."""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = "masked_colour_loss divides by sum(mask) + 1 instead of max(sum(mask), 1)."


def masked_colour_loss(images, targets, masks):
    images, targets, masks = (ops.convert_to_tensor(a, "float32") for a in (images, targets, masks))
    error = ops.sum(masks * ops.square(images - targets), axis=(1, 2, 3))
    return ops.mean(error / (ops.sum(masks, axis=(1, 2, 3)) + 1.0))
