"""The discriminator loss with the labels swapped: real images labelled 0, generated ones 1."""

import keras

PART = "discriminator_loss"
MISTAKE = "The labels are swapped: real images should have label 1 and generated images label 0."


def discriminator_loss(real_logits, fake_logits):
    real_loss = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(real_logits), real_logits, from_logits=True
    )
    fake_loss = keras.ops.binary_crossentropy(
        keras.ops.ones_like(fake_logits), fake_logits, from_logits=True
    )
    return keras.ops.mean(real_loss) + keras.ops.mean(fake_loss)
