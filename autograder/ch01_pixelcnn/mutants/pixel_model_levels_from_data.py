"""The number of levels is read from the data instead of the `levels` argument."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model takes the number of levels from the data (the largest value + 1) instead "
    "of the levels argument, so levels that no image shows get no probability at all."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    levels = int(images.max()) + 1
    counts = (images[..., None] == np.arange(levels)).sum(axis=0)
    return (counts + alpha) / (len(images) + alpha * levels)
