"""Smoothing added to the counts but not to the total."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model adds alpha to the counts but not alpha * levels to the total, so the "
    "probabilities of a pixel no longer sum to 1."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    counts = (images[..., None] == np.arange(levels)).sum(axis=0)
    return (counts + alpha) / len(images)
