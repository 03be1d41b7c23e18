"""sample_from_statistics draws epsilon with NumPy's generator instead of keras.random.normal."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = (
    "sample_from_statistics draws epsilon with np.random.default_rng(seed) instead of "
    "keras.random.normal((n, D), seed=seed) as the task prescribes."
)


def sample_from_statistics(decoder, mean, std, n, seed=0):
    mean = np.asarray(mean, dtype="float32")
    std = np.asarray(std, dtype="float32")
    epsilon = np.random.default_rng(seed).normal(size=(n, len(mean))).astype("float32")
    return keras.ops.convert_to_numpy(decoder(mean + std * epsilon, training=False))
