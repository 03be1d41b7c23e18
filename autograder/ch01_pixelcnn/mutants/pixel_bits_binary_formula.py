"""The two-level formula of the per-pixel baseline, used for every number of levels."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "the bits are computed with the two-level formula -x log2 p1 - (1 - x) log2 p0, which is "
    "right only for 2 levels: take -log2 of the probability of each pixel's own level."
)


def pixel_model_bits_per_dim(probs, images):
    probs, images = np.asarray(probs, np.float64), np.asarray(images)
    bits = -(images * np.log2(probs[..., 1]) + (1 - images) * np.log2(probs[..., 0]))
    return float(bits.mean())
