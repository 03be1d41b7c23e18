"""Bits summed over the pixels of each image, then averaged over the images."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "the bits are summed over the pixels of each image and only then averaged over the images: "
    "that is bits per image; divide by the number of pixels too (a mean over every pixel)."
)


def pixel_model_bits_per_dim(probs, images):
    probs, images = np.asarray(probs, np.float64), np.asarray(images)
    _n, height, width = images.shape
    chosen = probs[np.arange(height)[:, None], np.arange(width)[None, :], images]
    return float(np.mean(np.sum(-np.log2(chosen), axis=(1, 2))))
