"""The sample standard deviation (divided by N - 1)."""

import numpy as np

PART = "latent_statistics"
NAMED_BY = "Yours divides by N - 1"
MISTAKE = (
    "the standard deviation divides by N - 1 (the sample estimate, ddof=1); the task's spread "
    "of the N codes divides by N (np.std's default)."
)


def latent_statistics(codes):
    codes = np.asarray(codes, np.float64)
    return codes.mean(axis=0), codes.std(axis=0, ddof=1)
