"""Keras' BinaryCrossentropy left at its default, from_logits=False."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "binary_crossentropy is called without from_logits=True, so the discriminator's logits "
    "are read as probabilities (and clipped to [eps, 1 - eps])."
)


def discriminator_loss(real_logits, fake_logits):
    bce = keras.losses.BinaryCrossentropy()
    return bce(keras.ops.ones_like(real_logits), real_logits) + bce(
        keras.ops.zeros_like(fake_logits), fake_logits
    )
