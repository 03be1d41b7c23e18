"""The covariance itself multiplies the noise, instead of a square root of it."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The points have covariance Sigma Sigma^T instead of Sigma, as when the noise is multiplied "
    "by the covariance itself (or by V diag(lambda), without the square roots); multiply by a "
    "factor A with A A^T = Sigma (Cholesky, or V diag(sqrt(lambda)))."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means), np.asarray(covariances)
    for covariance in covariances:
        if (
            not np.allclose(covariance, covariance.T)
            or np.linalg.eigvalsh(covariance).min() < -1e-9
        ):
            raise ValueError("not a covariance")
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", covariances[components], noise)
    return points.astype(np.float32), components
