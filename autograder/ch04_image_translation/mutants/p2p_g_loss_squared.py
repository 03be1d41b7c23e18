"""L2 in place of L1."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "pix2pix_losses"
MISTAKE = "generator_loss adds the mean squared distance instead of the mean absolute distance."
NAMED_BY = "mean *squared* distance"


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    adversarial = keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.ones_like(fake_logits), fake_logits, from_logits=True
        )
    )
    return adversarial + l1_weight * keras.ops.mean(keras.ops.square(targets - generated))
