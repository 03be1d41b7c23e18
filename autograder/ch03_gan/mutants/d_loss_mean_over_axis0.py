"""The means are taken over axis 0 only: (B, 1) logits give a loss of shape (1,)."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "discriminator_loss takes its means over axis 0 only, so (B, 1) logits give a loss of "
    "shape (1,) instead of a scalar; take the mean over every axis."
)


def discriminator_loss(real_logits, fake_logits):
    real_logits = keras.ops.reshape(keras.ops.convert_to_tensor(real_logits), (-1, 1))
    fake_logits = keras.ops.reshape(keras.ops.convert_to_tensor(fake_logits), (-1, 1))
    real = keras.ops.softplus(-real_logits)  # BCE(1, l), element by element
    fake = keras.ops.softplus(fake_logits)  # BCE(0, l)
    return keras.ops.mean(real, axis=0) + keras.ops.mean(fake, axis=0)
