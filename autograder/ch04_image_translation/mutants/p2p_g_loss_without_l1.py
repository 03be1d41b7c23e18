"""The book's first pix2pix: no L1 term."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "pix2pix_losses"
MISTAKE = "generator_loss leaves out the L1 term (the book's first code had no L1)."
NAMED_BY = "it has no L1 term"


def generator_loss(fake_logits, generated, targets, l1_weight=100.0):
    adversarial = keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.ones_like(fake_logits), fake_logits, from_logits=True
        )
    )
    return adversarial
