"""content_loss sums the squared errors of each layer instead of taking their mean."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = "content_loss sums the squared errors of each layer instead of taking their mean."


def content_loss(features, targets):
    per_layer = [
        keras.ops.sum(keras.ops.square(f - p)) for f, p in zip(features, targets, strict=True)
    ]
    return keras.ops.mean(keras.ops.stack(per_layer))
