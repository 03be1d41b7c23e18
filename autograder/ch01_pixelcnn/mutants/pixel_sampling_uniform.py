"""Every level equally likely: the probabilities are never used."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model draws every level with equal probability instead of using the "
    "probabilities of each pixel."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs)
    return rng.integers(0, probs.shape[-1], size=(n,) + probs.shape[:-1])
