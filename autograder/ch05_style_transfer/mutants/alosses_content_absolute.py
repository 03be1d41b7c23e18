"""adain_content_loss takes the mean absolute difference instead of the mean squared one."""

import keras

PART = "adain_losses"
MISTAKE = "adain_content_loss takes the mean absolute difference instead of the mean squared one."


def adain_content_loss(features, target):
    return keras.ops.mean(keras.ops.abs(features - target))
