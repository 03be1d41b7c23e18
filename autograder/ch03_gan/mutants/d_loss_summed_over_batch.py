"""The cross-entropies summed over the batch instead of averaged."""

import keras

PART = "discriminator_loss"
MISTAKE = (
    "The cross-entropies are summed over the batch instead of averaged, so the loss and its "
    "gradients grow with the batch size."
)


def discriminator_loss(real_logits, fake_logits):
    real_loss = keras.ops.binary_crossentropy(
        keras.ops.ones_like(real_logits), real_logits, from_logits=True
    )
    fake_loss = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(fake_logits), fake_logits, from_logits=True
    )
    return keras.ops.sum(real_loss) + keras.ops.sum(fake_loss)
