"""masked_colour_loss compares the image with mask * target, so undrawn pixels pull the image
towards 0.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = (
    "masked_colour_loss compares the image with mask * target, so undrawn pixels pull the "
    "image towards 0."
)


def masked_colour_loss(images, targets, masks):
    squared = ops.square(images - masks * targets)
    return ops.mean(
        ops.sum(squared, axis=(1, 2, 3)) / ops.maximum(ops.sum(masks, axis=(1, 2, 3)), 1.0)
    )
