"""The generator is created again inside the loop over components: every component draws the
same noise (the first draws of default_rng(seed))."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The generator np.random.default_rng(seed) is created again for each component, so every "
    "component reuses the same noise: create it once and draw from it throughout."
)


def sample_mixture(n, means, covariances, seed):
    means = np.array(means, dtype=float)
    covariances = np.array(covariances, dtype=float)
    for covariance in covariances:
        if not np.allclose(covariance, covariance.T):
            raise ValueError("not symmetric")
        if np.linalg.eigvalsh(covariance).min() < -1e-9:
            raise ValueError("negative eigenvalue")
    components = np.random.default_rng(seed).integers(0, len(means), size=n)
    points = np.zeros((n, 2))
    for k in range(len(means)):
        rng = np.random.default_rng(seed)
        values, vectors = np.linalg.eigh(covariances[k])
        factor = vectors @ np.diag(np.sqrt(np.clip(values, 0.0, None)))
        chosen = components == k
        points[chosen] = means[k] + rng.standard_normal((int(chosen.sum()), 2)) @ factor.T
    return points.astype(np.float32), components
