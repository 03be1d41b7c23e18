"""The grid is walked down the columns: image i * n + j decodes (u[i], u[n - 1 - j])."""

import keras
import numpy as np

PART = "latent_grid"
MISTAKE = (
    "latent_grid walks the grid column by column: image i * n + j decodes (u[i], u[n - 1 - j]) "
    "instead of (u[j], u[n - 1 - i]), so the first coordinate runs down the rows (with a "
    "meshgrid, its indexing and the order of its arguments together decide which one does)."
)


def latent_grid(decoder, low, high, n):
    u = np.linspace(low, high, n, dtype="float32")
    codes = np.array([(u[i], u[n - 1 - j]) for i in range(n) for j in range(n)], dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
