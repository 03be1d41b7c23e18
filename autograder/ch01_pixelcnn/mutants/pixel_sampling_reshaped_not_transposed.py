"""Samples drawn pixel-major, then reshaped instead of transposed to (n, H, W)."""

import numpy as np

PART = "pixel_sampling"
MISTAKE = (
    "sample_pixel_model draws an array of (pixels, n) and reshapes it to (n, H, W) instead of "
    "transposing it first, so each image is made of other images' pixels in the wrong places."
)


def sample_pixel_model(probs, n, rng):
    probs = np.asarray(probs)
    height, width, levels = probs.shape
    cdf = np.cumsum(probs.reshape(-1, levels), axis=-1)  # (pixels, L)
    u = rng.random((height * width, n, 1))
    drawn = np.minimum((u >= cdf[:, None, :]).sum(axis=-1), levels - 1)  # (pixels, n)
    return drawn.reshape(n, height, width).astype(np.int32)
