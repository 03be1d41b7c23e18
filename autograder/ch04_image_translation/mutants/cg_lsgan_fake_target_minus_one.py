"""lsgan_discriminator_loss pulls generated scores to -1 instead of 0."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "lsgan_losses"
MISTAKE = "lsgan_discriminator_loss pulls generated scores to -1 instead of 0."


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    real = keras.ops.mean(keras.ops.square(real_outputs - 1.0))
    fake = keras.ops.mean(keras.ops.square(fake_outputs + 1.0))
    return 0.5 * (real + fake)
