"""Only levels 0 and 1 are looked up: a pixel of any level above 0 reads p[..., 1]."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "each pixel's probability is p[..., 1] where the pixel is 1 and p[..., 0] otherwise, "
    "which is right only for 2 levels: take the probability of each pixel's own level."
)


def pixel_model_bits_per_dim(probs, images):
    probs, images = np.asarray(probs, np.float64), np.asarray(images)
    picked = np.where(images == 1, probs[..., 1], probs[..., 0])
    return float(-np.log2(picked).mean())
