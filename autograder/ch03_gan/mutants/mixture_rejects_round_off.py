"""Every negative eigenvalue refused, round-off included."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "Any negative eigenvalue is refused, even a round-off one of about -1e-11; the task allows "
    "-1e-9 for round-off."
)


def sample_mixture(n, means, covariances, seed):
    means = np.asarray(means, np.float64)
    covariances = np.asarray(covariances, np.float64)
    factors = []
    for covariance in covariances:
        if not np.allclose(covariance, covariance.T):
            raise ValueError("a covariance is not symmetric")
        values, vectors = np.linalg.eigh(covariance)
        if values.min() < 0:
            raise ValueError("a covariance has a negative eigenvalue")
        factors.append(vectors * np.sqrt(values))
    factors = np.stack(factors)
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
