"""adain_style_loss takes the Euclidean norms of the differences (the paper's sums under a
root) instead of the mean squares."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain_losses"
MISTAKE = (
    "adain_style_loss takes the Euclidean norms of the differences (the paper's sums "
    "under a root) instead of the mean squares."
)


def adain_style_loss(features, style_features, epsilon=EPSILON):
    total = 0.0
    for got, wanted in zip(features, style_features, strict=True):
        mean, std = channel_moments(got, epsilon)
        style_mean, style_std = channel_moments(wanted, epsilon)
        total = total + keras.ops.sqrt(keras.ops.sum(keras.ops.square(mean - style_mean)))
        total = total + keras.ops.sqrt(keras.ops.sum(keras.ops.square(std - style_std)))
    return total
