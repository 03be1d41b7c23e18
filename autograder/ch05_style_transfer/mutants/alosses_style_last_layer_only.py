"""adain_style_loss compares the last layer's statistics only, not every layer's."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_losses"
MISTAKE = "adain_style_loss compares the last layer's statistics only, not every layer's."


def adain_style_loss(features, style_features, epsilon=EPSILON):
    total = 0.0
    for got, wanted in zip(features[-1:], style_features[-1:], strict=True):
        mean, std = channel_moments(got, epsilon)
        style_mean, style_std = channel_moments(wanted, epsilon)
        total = total + keras.ops.mean(keras.ops.square(mean - style_mean))
        total = total + keras.ops.mean(keras.ops.square(std - style_std))
    return total
