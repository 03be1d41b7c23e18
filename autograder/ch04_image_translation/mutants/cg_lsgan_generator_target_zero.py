"""lsgan_generator_loss pulls the scores to 0 (mean fake^2), the discriminator's target for
fakes."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "lsgan_losses"
MISTAKE = (
    "lsgan_generator_loss pulls the scores to 0 (mean fake^2), the discriminator's "
    "target for fakes."
)


def lsgan_generator_loss(fake_outputs):
    return keras.ops.mean(keras.ops.square(fake_outputs))
