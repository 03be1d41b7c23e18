"""Natural logarithm: nats, not bits."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim uses the natural logarithm, which gives nats; bits need log base 2."
)


def pixel_model_bits_per_dim(probs, images):
    images = np.asarray(images)
    h, w = np.indices(images.shape[1:3])
    return float(-np.mean(np.log(np.asarray(probs)[h, w, images])))
