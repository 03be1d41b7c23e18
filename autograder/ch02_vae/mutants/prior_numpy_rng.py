"""sample_prior draws its codes with NumPy's generator instead of keras.random.normal."""

import keras
import numpy as np

PART = "generation"
MISTAKE = (
    "sample_prior draws the codes with np.random.default_rng(seed) instead of "
    "keras.random.normal(..., seed=seed) as its docstring prescribes."
)


def sample_prior(decoder, n, seed=0):
    latent_dim = decoder.input_shape[-1]
    z = np.random.default_rng(seed).normal(size=(n, latent_dim)).astype("float32")
    return keras.ops.convert_to_numpy(decoder(z, training=False))
