"""total_variation takes its second difference along the channels (x[..., 1:] - x[..., :-1])
instead of across the width."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "nst_losses"
MISTAKE = (
    "total_variation takes its second difference along the channels (x[..., 1:] - x[..., "
    ":-1]) instead of across the width."
)


def total_variation(images):
    down = keras.ops.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
    channels = keras.ops.abs(images[..., 1:] - images[..., :-1])
    return keras.ops.mean(down) + keras.ops.mean(channels)
