"""Averages over every level's probability, ignoring which value each image has."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim averages -log2 of every level's probability instead of the "
    "probability of the value each image actually has at that pixel."
)


def pixel_model_bits_per_dim(probs, images):
    return float(-np.mean(np.log2(np.asarray(probs))))
