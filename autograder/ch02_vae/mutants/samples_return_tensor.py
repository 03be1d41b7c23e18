"""sample_from_statistics returns the decoder's output tensor as it is, not a NumPy array."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = (
    "sample_from_statistics returns the decoder's output tensor, not a NumPy array as the task "
    "asks (convert it with keras.ops.convert_to_numpy)."
)


def sample_from_statistics(decoder, mean, std, n, seed=0):
    mean = np.asarray(mean, dtype="float32")
    std = np.asarray(std, dtype="float32")
    epsilon = keras.random.normal((n, len(mean)), seed=seed)
    return decoder(mean + std * epsilon, training=False)
