"""A Cholesky factor, which refuses valid covariances with a zero eigenvalue."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "A Cholesky factor needs a positive definite matrix, so valid covariances with a zero "
    "eigenvalue are refused; use the eigendecomposition, clipping round-off negatives to 0."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means), np.asarray(covariances)
    for covariance in covariances:
        if not np.allclose(covariance, covariance.T):
            raise ValueError("covariance is not symmetric")
    factors = np.stack([np.linalg.cholesky(c) for c in covariances])
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
