"""The L1 term without its weight."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "pix2pix_losses"
MISTAKE = "generator_loss adds mean |targets - generated| without multiplying it by l1_weight."
NAMED_BY = "whatever l1_weight"


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    adversarial = keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.ones_like(fake_logits), fake_logits, from_logits=True
        )
    )
    return adversarial + keras.ops.mean(keras.ops.abs(targets - generated))
