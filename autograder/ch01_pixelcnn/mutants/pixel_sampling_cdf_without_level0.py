"""The running sum of the CDF starts at p(1): p(0) is never added."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model builds the cumulative probabilities from p(1) on and never adds p(0), "
    "so every threshold is p(0) too low and the samples shift towards the higher levels; "
    "F(v) = p(0) + ... + p(v)."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs, np.float64)
    u = rng.random((n, *probs.shape[:2]))
    samples = np.zeros(u.shape, np.int64)
    cdf = np.zeros(probs.shape[:2])
    for level in range(1, probs.shape[-1]):
        cdf = cdf + probs[:, :, level]
        samples += u >= cdf
    return samples
