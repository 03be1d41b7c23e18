"""PART: mode_coverage
MISTAKE: Compares the squared distance with radius instead of radius squared, which is only right for a radius of 1.
Built on correct/mode_collapse/numpy_loop_cholesky.py.
"""

# %% part: mixture_sampling
def _square_root(cov):
    """A with A @ A.T == cov for a symmetric PSD 2x2 matrix."""
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(cov)
        return vectors @ np.diag(np.sqrt(np.maximum(values, 0.0)))


def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    k_count = len(means)
    roots = []
    for k in range(k_count):
        cov = np.array(covariances[k], dtype=np.float64)  # a copy
        if not np.allclose(cov, cov.T):
            raise ValueError(f"covariance {k} is not symmetric: {cov.tolist()}")
        smallest = np.linalg.eigvalsh(cov).min()
        if smallest < -1e-9:
            raise ValueError(f"covariance {k} has the negative eigenvalue {smallest:.3f}")
        roots.append(_square_root(cov))

    rng = np.random.default_rng(seed)
    components = rng.choice(k_count, size=n)
    points = np.empty((n, 2), dtype=np.float64)
    for k in range(k_count):
        chosen = np.flatnonzero(components == k)
        eps = rng.normal(size=(len(chosen), 2))
        points[chosen] = np.asarray(means[k], dtype=np.float64) + eps @ roots[k].T
    return points.astype(np.float32), components.astype(int)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=np.float64):
        squared = np.sum((samples - mean) ** 2, axis=1)
        inside = np.count_nonzero(squared <= radius)
        if total > 0 and inside >= min_share * total:
            covered += 1
    return covered
