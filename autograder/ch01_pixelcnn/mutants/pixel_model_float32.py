"""The right probabilities, returned in float32."""

import numpy as np

PART = "pixel_model"
MISTAKE = "fit_pixel_model returns float32 probabilities: the task asks for float64."
NAMED_BY = "fit_pixel_model should return float64 probabilities, not float32."


def fit_pixel_model(images, levels, alpha=1.0):
    images = np.asarray(images)
    counts = (images[..., None] == np.arange(levels)).sum(axis=0)
    probs = (counts + alpha) / (len(images) + alpha * levels)
    return probs.astype(np.float32)
