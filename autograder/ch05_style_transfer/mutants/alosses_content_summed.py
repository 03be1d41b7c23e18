"""adain_content_loss sums the squared differences (as the book did) instead of taking their
mean."""

import keras

PART = "adain_losses"
MISTAKE = (
    "adain_content_loss sums the squared differences (as the book did) instead of taking "
    "their mean."
)


def adain_content_loss(features, target):
    return keras.ops.sum(keras.ops.square(features - target))
