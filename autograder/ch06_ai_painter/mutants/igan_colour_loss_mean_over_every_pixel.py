"""masked_colour_loss divides the masked squared errors by every pixel of the image instead of the
drawn ones, so a small stroke counts for little.
"""

# ruff: noqa: F821 (names from the notebook)

from keras import ops

PART = "constraint_losses"
MISTAKE = (
    "masked_colour_loss divides the masked squared errors by every pixel of the image instead"
    " of the drawn ones, so a small stroke counts for little."
)


def masked_colour_loss(images, targets, masks):
    return ops.mean(masks * ops.square(images - targets))
