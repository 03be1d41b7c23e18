"""One noise value per sample, shared by every latent dimension."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = (
    "sample_from_statistics draws one noise value per sample and shares it over the latent "
    "dimensions (noise of shape (n, 1)); draw epsilon of shape (n, D)."
)


def sample_from_statistics(decoder, mean, std, n, seed=0):
    mean, std = np.asarray(mean, "float32"), np.asarray(std, "float32")
    eps = keras.ops.convert_to_numpy(keras.random.normal((n, 1), seed=seed))
    return keras.ops.convert_to_numpy(decoder(mean + std * eps, training=False))
