"""-log2 of the product of each image's pixel probabilities: it underflows."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim multiplies the probabilities of each image's pixels before the "
    "log; on images of the dataset's size that product underflows to 0 and the bits become "
    "infinite. Average the logs instead."
)
NAMED_BY = "an infinity can only come from an underflow"


def pixel_model_bits_per_dim(probs, images):
    images = np.asarray(images)
    h, w = np.indices(images.shape[1:3])
    per_image = np.prod(np.asarray(probs)[h, w, images], axis=(1, 2))
    return float(np.mean(-np.log2(per_image)) / (h.size))
