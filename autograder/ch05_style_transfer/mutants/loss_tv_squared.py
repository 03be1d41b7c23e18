"""total_variation squares the differences between neighbouring pixels instead of taking their
absolute values."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "total_variation squares the differences between neighbouring pixels instead of taking "
    "their absolute values."
)


def total_variation(images):
    down = keras.ops.square(images[:, 1:, :, :] - images[:, :-1, :, :])
    across = keras.ops.square(images[:, :, 1:, :] - images[:, :, :-1, :])
    return keras.ops.mean(down) + keras.ops.mean(across)
