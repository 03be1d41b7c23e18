"""D's targets swapped."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "pix2pix_losses"
MISTAKE = "discriminator_loss pushes real logits towards 0 and generated ones towards 1."
NAMED_BY = "The labels are swapped"


def discriminator_loss(real_logits, fake_logits):
    real = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(real_logits), real_logits, from_logits=True
    )
    fake = keras.ops.binary_crossentropy(
        keras.ops.ones_like(fake_logits), fake_logits, from_logits=True
    )
    return keras.ops.mean(real) + keras.ops.mean(fake)
