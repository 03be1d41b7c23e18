"""np.arange-style spacing: the grid never reaches `high`."""

import keras
import numpy as np

PART = "latent_grid"
MISTAKE = (
    "latent_grid spaces the codes with a step of (high - low) / n, so the grid never reaches "
    "high; np.linspace(low, high, n) includes both ends."
)


def latent_grid(decoder, low, high, n):
    u = (low + (high - low) * np.arange(n) / n).astype("float32")
    codes = np.array([(u[j], u[n - 1 - i]) for i in range(n) for j in range(n)], dtype="float32")
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
