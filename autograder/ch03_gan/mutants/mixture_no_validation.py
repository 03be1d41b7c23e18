"""NumPy's multivariate_normal with no check: the book's covariance only gives a warning."""

import warnings

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The covariances are not checked, so an invalid one such as the book's raises no error "
    "(NumPy's multivariate_normal only warns about it) and the samples do not have the "
    "covariance asked for; raise ValueError."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means), np.asarray(covariances)
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    points = np.empty((n, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in range(len(means)):
            chosen = components == k
            points[chosen] = rng.multivariate_normal(means[k], covariances[k], chosen.sum())
    return points.astype(np.float32), components
