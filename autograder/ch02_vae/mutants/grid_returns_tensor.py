"""latent_grid returns the decoder's output tensor as it is, not a NumPy array."""

import numpy as np

PART = "latent_grid"
MISTAKE = (
    "latent_grid returns the decoder's output tensor, not the NumPy array its docstring "
    "promises (convert it with keras.ops.convert_to_numpy)."
)


def latent_grid(decoder, low, high, n):
    u = np.linspace(low, high, n, dtype="float32")
    codes = np.array([[u[j], u[n - 1 - i]] for i in range(n) for j in range(n)], "float32")
    return decoder(codes, training=False)
