"""adain_style_loss compares the channel means only: the standard deviation term is missing."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_losses"
MISTAKE = (
    "adain_style_loss compares the channel means only: the standard deviation term is missing."
)


def adain_style_loss(features, style_features, epsilon=EPSILON):
    total = 0.0
    for got, wanted in zip(features, style_features, strict=True):
        mean, std = channel_moments(got, epsilon)
        style_mean, style_std = channel_moments(wanted, epsilon)
        total = total + keras.ops.mean(keras.ops.square(mean - style_mean))
    return total
