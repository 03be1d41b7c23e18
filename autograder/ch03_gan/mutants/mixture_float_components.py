"""The components are returned as floats (labels kept in the points' float32 array)."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The components are returned as floating-point numbers; the task returns an int array of "
    "component labels (usable as indices)."
)


def sample_mixture(n, means, covariances, seed):
    means = np.asarray(means, np.float64)
    covariances = np.asarray(covariances, np.float64)
    for covariance in covariances:
        if not np.allclose(covariance, covariance.T):
            raise ValueError("not symmetric")
        if np.linalg.eigvalsh(covariance).min() < -1e-9:
            raise ValueError("negative eigenvalue")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(means), size=n)
    out = np.empty((n, 3), np.float32)
    for k in range(len(means)):
        values, vectors = np.linalg.eigh(covariances[k])
        factor = vectors * np.sqrt(np.clip(values, 0.0, None))
        chosen = labels == k
        noise = rng.standard_normal((int(chosen.sum()), 2))
        out[chosen, :2] = means[k] + noise @ factor.T
        out[chosen, 2] = k
    return out[:, :2], out[:, 2]
