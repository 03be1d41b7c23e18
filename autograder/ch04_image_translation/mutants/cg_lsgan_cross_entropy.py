"""The losses are chapter 3's binary cross-entropy from logits, not least squares."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "lsgan_losses"
MISTAKE = "The losses are chapter 3's binary cross-entropy from logits, not least squares."


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    real = keras.ops.binary_crossentropy(
        keras.ops.ones_like(real_outputs), real_outputs, from_logits=True
    )
    fake = keras.ops.binary_crossentropy(
        keras.ops.zeros_like(fake_outputs), fake_outputs, from_logits=True
    )
    return 0.5 * (keras.ops.mean(real) + keras.ops.mean(fake))


def lsgan_generator_loss(fake_outputs):
    return keras.ops.mean(
        keras.ops.binary_crossentropy(
            keras.ops.ones_like(fake_outputs), fake_outputs, from_logits=True
        )
    )
