"""The noise scaled by std squared (the variance)."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = "sample_from_statistics scales the noise by std ** 2 (the variance) instead of std."


def sample_from_statistics(decoder, mean, std, n, seed=0):
    mean, std = np.asarray(mean, "float32"), np.asarray(std, "float32")
    eps = keras.ops.convert_to_numpy(keras.random.normal((n, len(mean)), seed=seed))
    return keras.ops.convert_to_numpy(decoder(mean + std**2 * eps, training=False))
