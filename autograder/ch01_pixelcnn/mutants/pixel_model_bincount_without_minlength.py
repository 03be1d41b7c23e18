"""One np.bincount over (pixel, level) ids, without minlength."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model counts with np.bincount without minlength, so when the last pixel's top "
    "levels never occur the counts are too short to reshape into (H, W, levels)."
)
NAMED_BY = "your counts stop at the largest level seen"


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images, dtype=np.int64)
    n, height, width = images.shape
    ids = np.arange(height * width) * levels + images.reshape(n, -1)
    counts = np.bincount(ids.ravel()).reshape(height, width, levels)
    return (counts + alpha) / (n + alpha * levels)
