"""The factors stored in the caller's covariance array (np.asarray makes no copy)."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "sample_mixture writes into the covariances array it was given (factors, or a jitter added "
    "in place; np.asarray does not copy it), so the caller's covariances change; work on a "
    "copy."
)


def sample_mixture(n, means, covariances, seed):
    means = np.asarray(means, np.float64)
    covariances = np.asarray(covariances, np.float64)
    for k, covariance in enumerate(covariances):
        if not np.allclose(covariance, covariance.T):
            raise ValueError("a covariance is not symmetric")
        values, vectors = np.linalg.eigh(covariance)
        if values.min() < -1e-9:
            raise ValueError("a covariance has a negative eigenvalue")
        covariances[k] = vectors * np.sqrt(np.clip(values, 0.0, None))  # in place
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", covariances[components], noise)
    return points.astype(np.float32), components
