"""The global NumPy generator is seeded from the rng argument and then drawn from."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model seeds NumPy's global generator from the rng it is given and draws from "
    "np.random: the samples are reproducible, but every other user of np.random is reseeded; "
    "draw from the rng argument itself (rng.random)."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs, dtype=np.float64)
    np.random.seed(int(rng.integers(0, 2**31 - 1)))
    u = np.random.random((n, *probs.shape[:-1], 1))
    levels = (u >= np.cumsum(probs, axis=-1)).sum(axis=-1)
    return np.minimum(levels, probs.shape[-1] - 1).astype(np.int32)
