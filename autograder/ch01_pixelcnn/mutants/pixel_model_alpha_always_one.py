"""Laplace smoothing with 1 whatever alpha is given."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model always adds 1 to every count, whatever alpha it is given: use the alpha "
    "argument, (count + alpha) / (N + alpha * levels)."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    counts = (images[..., None] == np.arange(levels)).sum(axis=0)
    return (counts + 1.0) / (len(images) + levels)
