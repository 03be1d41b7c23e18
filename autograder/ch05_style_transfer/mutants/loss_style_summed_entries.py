"""style_loss sums the squared Gram differences of each layer (as the paper writes it) instead of
taking their mean."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "style_loss sums the squared Gram differences of each layer (as the paper writes it) "
    "instead of taking their mean."
)


def style_loss(features, target_grams):
    per_layer = [
        keras.ops.sum(keras.ops.square(gram_matrix(f) - a))
        for f, a in zip(features, target_grams, strict=True)
    ]
    return keras.ops.mean(keras.ops.stack(per_layer))
