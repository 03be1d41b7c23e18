"""One histogram for the whole image instead of one per pixel position."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model counts the levels of all pixel positions together, so every pixel "
    "gets the same histogram instead of its own."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    counts = (images[..., None] == np.arange(levels)).sum(axis=(0, 1, 2))  # (levels,)
    probs = (counts + alpha) / (images.size + alpha * levels)
    return np.broadcast_to(probs, images.shape[1:] + (levels,)).copy()
