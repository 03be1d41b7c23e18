"""style_loss adds the layers' mean squared Gram errors instead of averaging them over the
layers."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "style_loss adds the layers' mean squared Gram errors instead of averaging them over "
    "the layers."
)


def style_loss(features, target_grams):
    per_layer = [
        keras.ops.mean(keras.ops.square(gram_matrix(f) - a))
        for f, a in zip(features, target_grams, strict=True)
    ]
    return keras.ops.sum(keras.ops.stack(per_layer))
