"""The points returned grouped by component (as scikit-learn's GaussianMixture.sample does)."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "sample_mixture returns the points grouped by component (all of component 0 first), not "
    "in the order drawn, so a slice such as points[:1000] is not a sample of the mixture."
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
    components = np.sort(rng.integers(0, len(means), size=n))
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
