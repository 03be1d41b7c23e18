"""The noise scaled by exp(0.5 * std), as if std were a log-variance."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = (
    "sample_from_statistics scales the noise by exp(0.5 * std), as the sampling layer does with "
    "a log-variance, but std is already the standard deviation: use mean + std * epsilon."
)


def sample_from_statistics(decoder, mean, std, n, seed=0):
    mean, std = np.asarray(mean, "float32"), np.asarray(std, "float32")
    eps = keras.random.normal((n, len(mean)), seed=seed)
    codes = mean + keras.ops.exp(0.5 * std) * eps
    return keras.ops.convert_to_numpy(decoder(codes, training=False))
