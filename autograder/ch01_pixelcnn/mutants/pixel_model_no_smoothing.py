"""alpha is ignored: plain frequencies."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model ignores alpha: without smoothing, a level never seen in the data "
    "gets probability 0 and an infinite cost in bits."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    counts = (images[..., None] == np.arange(levels)).sum(axis=0)
    return counts / len(images)
