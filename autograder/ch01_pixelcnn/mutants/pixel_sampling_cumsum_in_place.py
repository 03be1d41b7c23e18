"""The cumulative sum is written into the caller's probability table."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model leaves the cumulative sums in the probs array it was given, so the "
    "caller's table changes with every call; build the cumulative probabilities in a new "
    "array."
)


def sample_pixel_model(probs, n, rng):
    cdf = np.cumsum(probs, axis=-1, out=probs)
    u = rng.random((n, *cdf.shape[:-1], 1))
    return np.minimum((u > cdf).sum(axis=-1), cdf.shape[-1] - 1)
