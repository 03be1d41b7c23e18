"""One uniform number per image, reused for every pixel."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model draws one random number per image and reuses it for every "
    "pixel, so the pixels of a sample are not independent."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs, dtype=np.float64)
    cdf = np.cumsum(probs, axis=-1)
    u = rng.random((n, 1, 1, 1))
    return np.minimum((u > cdf).sum(axis=-1), probs.shape[-1] - 1)
