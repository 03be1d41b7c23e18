"""The grid's codes are the centres of n equal cells, so low and high are never decoded."""

import keras
import numpy as np

PART = "latent_grid"
MISTAKE = (
    "latent_grid takes the centres of n equal cells of [low, high] instead of "
    "np.linspace(low, high, n), so the ends low and high are never decoded."
)


def latent_grid(decoder, low, high, n):
    step = (high - low) / n
    u = (low + step * (np.arange(n) + 0.5)).astype("float32")
    codes = np.array([(u[j], u[n - 1 - i]) for i in range(n) for j in range(n)], dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
