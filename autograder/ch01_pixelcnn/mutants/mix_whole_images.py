"""Copies whole images instead of mixing pixels."""

import numpy as np

PART = "mix_pixels"
MISTAKE = (
    "mix_pixels picks one image per sample and copies it whole, instead of picking a "
    "source image separately for every pixel."
)


def mix_pixels(images, n, rng):
    images = np.asarray(images)
    return images[rng.integers(0, len(images), size=n)]
