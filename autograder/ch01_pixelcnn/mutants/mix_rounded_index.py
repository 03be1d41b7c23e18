"""The source image index is round(u * (N - 1)): the first and last images half as often."""

import numpy as np

PART = "mix_pixels"
MISTAKE = (
    "mix_pixels picks the source image as round(u * (N - 1)) with u uniform in [0, 1), so "
    "the first and the last image are chosen half as often as the others; draw the index with "
    "rng.integers(0, N)."
)


def mix_pixels(images, n, rng):
    images = np.asarray(images)
    count, height, width = images.shape
    source = np.round(rng.random((n, height, width)) * (count - 1)).astype(np.int64)
    rows, cols = np.indices((height, width))
    return images[source, rows, cols]
