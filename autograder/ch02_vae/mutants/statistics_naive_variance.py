"""latent_statistics takes the variance as the mean square minus the squared mean."""

import numpy as np

PART = "latent_statistics"
MISTAKE = (
    "latent_statistics computes the variance as mean(x**2) - mean(x)**2, which cancels in "
    "float32 when a dimension is nearly constant away from 0 (a tiny or negative variance, "
    "nan after the square root); take the mean of the squared deviations from the mean, as "
    "np.std does."
)


def latent_statistics(codes):
    codes = np.asarray(codes)
    mean = codes.mean(axis=0)
    return mean, np.sqrt((codes * codes).mean(axis=0) - mean * mean)
