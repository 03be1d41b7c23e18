"""adain_style_loss squares the mean difference instead of taking the mean of the squared
differences."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_losses"
MISTAKE = (
    "adain_style_loss squares the mean difference instead of taking the mean of the "
    "squared differences."
)


def adain_style_loss(features, style_features, epsilon=EPSILON):
    total = 0.0
    for got, wanted in zip(features, style_features, strict=True):
        mean, std = channel_moments(got, epsilon)
        style_mean, style_std = channel_moments(wanted, epsilon)
        total = total + keras.ops.square(keras.ops.mean(mean - style_mean))
        total = total + keras.ops.square(keras.ops.mean(std - style_std))
    return total
