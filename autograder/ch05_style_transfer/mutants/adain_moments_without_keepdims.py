"""channel_moments leaves out keepdims=True: the moments are (B, C), not (B, 1, 1, C), and do
not broadcast against (B, H, W, C)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "adain"
MISTAKE = (
    "channel_moments leaves out keepdims=True: the moments are (B, C), not (B, 1, 1, C), "
    "and do not broadcast against (B, H, W, C)."
)


def channel_moments(x, epsilon=EPSILON):
    mean = keras.ops.mean(x, axis=(1, 2))
    variance = keras.ops.var(x, axis=(1, 2))
    return mean, keras.ops.sqrt(variance + epsilon)
