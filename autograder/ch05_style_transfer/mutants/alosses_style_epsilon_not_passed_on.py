"""adain_style_loss calls channel_moments without its epsilon."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_losses"
MISTAKE = "adain_style_loss calls channel_moments without its epsilon."


def adain_style_loss(features, style_features, epsilon=EPSILON):
    total = 0.0
    for got, wanted in zip(features, style_features, strict=True):
        mean, std = channel_moments(got)
        style_mean, style_std = channel_moments(wanted)
        total = total + keras.ops.mean(keras.ops.square(mean - style_mean))
        total = total + keras.ops.mean(keras.ops.square(std - style_std))
    return total
