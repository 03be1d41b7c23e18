"""np.random.seed(seed) and the global np.random functions, instead of np.random.default_rng(seed):
the same seed gives the same points, but the caller's global random state is reset."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The points come from np.random.seed(seed) and NumPy's global functions, which reset the "
    "caller's global random state: draw everything from rng = np.random.default_rng(seed)."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means, float), np.asarray(covariances, float)
    for covariance in covariances:
        if not np.allclose(covariance, covariance.T):
            raise ValueError("not symmetric")
        if np.linalg.eigvalsh(covariance).min() < -1e-9:
            raise ValueError("not positive semi-definite")
    np.random.seed(seed)
    components = np.random.randint(0, len(means), size=n)
    values, vectors = np.linalg.eigh(covariances)
    factors = vectors * np.sqrt(np.clip(values, 0, None))[:, None, :]
    noise = np.random.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
