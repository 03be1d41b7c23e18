"""noise @ A instead of A @ noise: a correlated component gets the wrong covariance."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The noise is multiplied by the transposed factor (noise @ A, i.e. A^T @ noise), which "
    "gives covariance A^T A instead of A A^T = Sigma for a correlated component."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means), np.asarray(covariances)
    for covariance in covariances:
        if (
            not np.allclose(covariance, covariance.T)
            or np.linalg.eigvalsh(covariance).min() < -1e-9
        ):
            raise ValueError("not a covariance")
    values, vectors = np.linalg.eigh(covariances)
    factors = vectors * np.sqrt(np.clip(values, 0, None))[:, None, :]
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nj,nji->ni", noise, factors[components])
    return points.astype(np.float32), components
