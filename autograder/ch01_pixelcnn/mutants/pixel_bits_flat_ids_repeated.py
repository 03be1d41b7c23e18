"""Flat pixel ids made with np.repeat against values flattened image by image."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim builds the flat pixel ids with np.repeat (each pixel's id N times "
    "in a row) but flattens the images image by image, so the values are looked up at the "
    "wrong pixels; the ids must follow the images' own order, np.tile(np.arange(H * W), N)."
)


def pixel_model_bits_per_dim(probs, images):
    probs, images = np.asarray(probs, np.float64), np.asarray(images)
    height, width, levels = probs.shape
    ids = np.repeat(np.arange(height * width), len(images))
    picked = probs.reshape(-1, levels)[ids, images.reshape(-1)]
    return float(np.mean(-np.log2(picked)))
