"""Real images get the label 0.9 (one-sided label smoothing) instead of 1."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "discriminator_loss labels the real images 0.9 (one-sided label smoothing) instead of 1; "
    "the task's loss is mean BCE(1, real) + mean BCE(0, fake)."
)


def discriminator_loss(real_logits, fake_logits):
    real_logits = keras.ops.convert_to_tensor(real_logits)
    fake_logits = keras.ops.convert_to_tensor(fake_logits)
    real = keras.ops.binary_crossentropy(
        0.9 * keras.ops.ones_like(real_logits), real_logits, from_logits=True
    )
    fake = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(fake_logits), fake_logits, from_logits=True
    )
    return keras.ops.mean(real) + keras.ops.mean(fake)
