"""Laplace smoothing applied to the frequencies instead of the counts."""

import numpy as np

PART = "pixel_model"
MISTAKE = (
    "fit_pixel_model adds alpha to the frequencies count / N and divides by 1 + alpha * L, "
    "instead of adding alpha to the counts: (count + alpha) / (N + alpha * L)."
)


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    if images.min() < 0 or images.max() >= levels:
        raise ValueError(f"pixel values must lie in 0..{levels - 1}")
    frequencies = (images[..., None] == np.arange(levels)).mean(axis=0)  # (H, W, L)
    return (frequencies + alpha) / (1.0 + alpha * levels)
