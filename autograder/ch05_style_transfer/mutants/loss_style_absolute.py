"""style_loss takes the mean absolute difference of the Gram matrices instead of the mean squared
one."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "style_loss takes the mean absolute difference of the Gram matrices instead of the mean"
    " squared one."
)


def style_loss(features, target_grams):
    per_layer = [
        keras.ops.mean(keras.ops.abs(gram_matrix(f) - a))
        for f, a in zip(features, target_grams, strict=True)
    ]
    return keras.ops.mean(keras.ops.stack(per_layer))
