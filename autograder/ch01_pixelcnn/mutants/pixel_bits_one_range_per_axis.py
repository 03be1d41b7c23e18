"""probs[np.arange(H), np.arange(W), images]: two 1-D ranges broadcast together."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim indexes probs with np.arange(H) and np.arange(W) as they are: the "
    "two 1-D ranges broadcast together along the columns, so it reads probs[w, w, ...] (and "
    "fails when H and W differ); make them a column and a row, np.arange(H)[:, None] and "
    "np.arange(W)[None, :]."
)


def pixel_model_bits_per_dim(probs, images):
    probs, images = np.asarray(probs), np.asarray(images)
    height, width = images.shape[1:]
    chosen = probs[np.arange(height), np.arange(width), images]
    return float(np.mean(-np.log2(chosen)))
