"""lsgan_discriminator_loss does not halve the sum."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "lsgan_losses"
MISTAKE = "lsgan_discriminator_loss does not halve the sum."
NAMED_BY = "It is twice the value asked for"


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    real = keras.ops.mean(keras.ops.square(real_outputs - 1.0))
    fake = keras.ops.mean(keras.ops.square(fake_outputs))
    return real + fake
