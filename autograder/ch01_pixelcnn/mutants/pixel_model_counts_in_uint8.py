"""The counts are kept in the images' own integer type."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model keeps its counts in the images' own integer type, so with uint8 images a "
    "count above 255 wraps around; count in a wide type (np.int64, or the float64 result)."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    n, height, width = images.shape
    counts = np.zeros((height, width, levels), dtype=images.dtype)
    for level in range(levels):
        counts[..., level] = (images == level).sum(axis=0).astype(images.dtype)
    return (counts + alpha) / (n + alpha * levels)
