"""The mean of the real and the fake cross-entropies instead of their sum."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "the real and the fake cross-entropies are averaged, (real + fake) / 2, which halves the "
    "loss; the task's loss is their sum."
)


def discriminator_loss(real_logits, fake_logits):
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    real = cross_entropy(keras.ops.ones_like(real_logits), real_logits)
    fake = cross_entropy(keras.ops.zeros_like(fake_logits), fake_logits)
    return (real + fake) / 2.0
