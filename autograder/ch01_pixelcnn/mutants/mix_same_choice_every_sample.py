"""One choice of source images, reused for all samples."""

import numpy as np

PART = "mix_pixels"
MISTAKE = (
    "mix_pixels draws the source images once and reuses the same choice for every "
    "sample, so all the samples are the same image."
)


def mix_pixels(images, n, rng):
    images = np.asarray(images)
    count, height, width = images.shape[:3]
    source = rng.integers(0, count, size=(height, width))
    rows, cols = np.indices((height, width))
    return np.stack([images[source, rows, cols]] * n)
