"""sample_pixel_model renormalises the caller's table in place before sampling."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model divides the caller's probs by their sums in place (np.asarray makes"
    " no copy of a float64 array, so any write into it reaches the caller); work on a copy."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs)
    probs /= probs.sum(axis=-1, keepdims=True)
    height, width, levels = probs.shape
    cdf = np.cumsum(probs, axis=-1)
    draws = rng.random((n, height, width, 1))
    return np.minimum((draws >= cdf).sum(axis=-1), levels - 1).astype(np.int32)
