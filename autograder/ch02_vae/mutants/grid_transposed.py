"""The two coordinates swapped: the first one varies down the rows."""

import keras
import numpy as np

PART = "latent_grid"
MISTAKE = (
    "latent_grid swaps the coordinates: the first one varies down the rows and the second "
    "along them; image i * n + j decodes (u[j], u[n - 1 - i])."
)


def latent_grid(decoder, low, high, n):
    u = np.linspace(low, high, n, dtype="float32")
    codes = np.array([(u[n - 1 - i], u[j]) for i in range(n) for j in range(n)], dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
