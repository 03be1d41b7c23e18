"""Statistics over the latent dimensions of each code instead of over the codes."""

import numpy as np

PART = "latent_statistics"
MISTAKE = (
    "latent_statistics averages over the latent dimensions of each code (axis 1) instead of "
    "over the codes (axis 0)."
)


def latent_statistics(codes):
    codes = np.asarray(codes, dtype=np.float64)
    return codes.mean(axis=1), codes.std(axis=1)
