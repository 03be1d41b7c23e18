"""total_variation measures the vertical steps only and forgets the horizontal ones."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = "total_variation measures the vertical steps only and forgets the horizontal ones."


def total_variation(images):
    return keras.ops.mean(keras.ops.abs(images[:, 1:, :, :] - images[:, :-1, :, :]))
