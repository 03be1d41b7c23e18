"""probs indexed with the whole images array at every pixel: every pixel meets every image."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim looks up, at every pixel (h, w), the levels of every image at"
    " every position, an (H, W, N, H, W) array (as probs[:, :, images] or np.take along the"
    " level axis give); take probs[h, w, images[n, h, w]] with index arrays for the rows "
    "and columns."
)


def pixel_model_bits_per_dim(probs, images):
    probs = np.asarray(probs)
    images = np.asarray(images)
    return float(-np.mean(np.log2(probs[:, :, images])))
