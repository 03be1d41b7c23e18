"""Components drawn as rng.random(n) < 0.5: two components only, whatever K is."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The components are drawn from 0 and 1 only, an even choice between two components that"
    " holds only for K = 2: draw each point's component with rng.integers(0, K)."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means, np.float64), np.asarray(covariances, np.float64)
    factors = []
    for k, covariance in enumerate(covariances):
        if not np.allclose(covariance, covariance.T):
            raise ValueError(f"covariance {k} is not symmetric")
        values, vectors = np.linalg.eigh(covariance)
        if values.min() < -1e-9:
            raise ValueError(f"covariance {k} has a negative eigenvalue {values.min():.3g}")
        factors.append(vectors * np.sqrt(np.clip(values, 0.0, None)))
    factors = np.stack(factors)
    rng = np.random.default_rng(seed)
    components = (rng.random(n) < 0.5).astype(np.int64)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
