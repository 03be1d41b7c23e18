"""content_loss takes the mean absolute error of each layer instead of the mean squared error."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "content_loss takes the mean absolute error of each layer instead of the mean squared error."
)


def content_loss(features, targets):
    per_layer = [
        keras.ops.mean(keras.ops.abs(f - p)) for f, p in zip(features, targets, strict=True)
    ]
    return keras.ops.mean(keras.ops.stack(per_layer))
