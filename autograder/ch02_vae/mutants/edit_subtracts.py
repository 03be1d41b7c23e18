"""The edit subtracts the weighted vectors."""

import numpy as np

PART = "latent_arithmetic"
MISTAKE = "edit_codes subtracts the weighted vectors instead of adding them."


def edit_codes(codes, vectors, strengths):
    return np.asarray(codes, np.float64) - np.asarray(strengths) @ np.asarray(vectors)
