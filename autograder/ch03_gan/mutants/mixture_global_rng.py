"""NumPy's global random state instead of a generator seeded with `seed`."""

import numpy as np

PART = "mixture_sampling"
MISTAKE = (
    "The points come from NumPy's global random state, so the seed does not decide them; draw "
    "everything from np.random.default_rng(seed)."
)


def sample_mixture(n, means, covariances, seed):
    means, covariances = np.asarray(means), np.asarray(covariances)
    for covariance in covariances:
        if (
            not np.allclose(covariance, covariance.T)
            or np.linalg.eigvalsh(covariance).min() < -1e-9
        ):
            raise ValueError("not a covariance")
    components = np.random.randint(0, len(means), size=n)
    values, vectors = np.linalg.eigh(covariances)
    factors = vectors * np.sqrt(np.clip(values, 0, None))[:, None, :]
    noise = np.random.standard_normal((n, 2))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components
