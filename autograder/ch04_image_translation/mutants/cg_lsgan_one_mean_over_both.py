"""lsgan_discriminator_loss takes one mean over the real and generated scores joined, so
batches of different sizes weigh differently."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "lsgan_losses"
MISTAKE = (
    "lsgan_discriminator_loss takes one mean over the real and generated scores "
    "joined, so batches of different sizes weigh differently."
)


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    squares = keras.ops.concatenate(
        [keras.ops.square(real_outputs - 1.0), keras.ops.square(fake_outputs)], axis=0
    )
    return keras.ops.mean(squares)
