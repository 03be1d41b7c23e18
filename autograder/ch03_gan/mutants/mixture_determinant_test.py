"""Positive semi-definiteness tested by the determinant: det >= 0 also holds for a matrix with
two negative eigenvalues, such as -I."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "Positive semi-definiteness is tested with the determinant (det >= 0), which a matrix with "
    "two negative eigenvalues such as -I also passes: test that no eigenvalue is below -1e-9."
)


def sample_mixture(n, means, covariances, seed):
    means = np.array(means, dtype=float)
    covariances = np.array(covariances, dtype=float)
    factors = []
    for covariance in covariances:
        if not np.allclose(covariance, covariance.T):
            raise ValueError("covariance not symmetric")
        if np.linalg.det(covariance) < -1e-9:
            raise ValueError("covariance not positive semi-definite")
        values, vectors = np.linalg.eigh(covariance)
        factors.append(vectors @ np.diag(np.sqrt(np.abs(values))))
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    factors = np.array(factors)
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
