"""The second coordinate grows downwards: the picture is upside down."""

import keras
import numpy as np

PART = "latent_grid"
MISTAKE = (
    "latent_grid puts the smallest second coordinate in the top row, so the picture is "
    "upside down compared with the scatter plot; row i decodes u[n - 1 - i]."
)


def latent_grid(decoder, low, high, n):
    u = np.linspace(low, high, n, dtype="float32")
    codes = np.array([(u[j], u[i]) for i in range(n) for j in range(n)], dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
