"""-log2 of the mean probability instead of the mean of -log2."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim takes -log2 of the mean probability; take -log2 of each pixel's "
    "probability first, then the mean."
)


def pixel_model_bits_per_dim(probs, images):
    images = np.asarray(images)
    h, w = np.indices(images.shape[1:3])
    return float(-np.log2(np.mean(np.asarray(probs)[h, w, images])))
