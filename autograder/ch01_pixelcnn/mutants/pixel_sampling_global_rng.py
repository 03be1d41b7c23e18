"""np.random instead of the rng argument."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model draws from np.random instead of the rng it is given, so samples "
    "cannot be reproduced."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs, dtype=np.float64)
    cdf = np.cumsum(probs, axis=-1)
    u = np.random.random((n,) + probs.shape[:-1] + (1,))
    return np.minimum((u > cdf).sum(axis=-1), probs.shape[-1] - 1)
