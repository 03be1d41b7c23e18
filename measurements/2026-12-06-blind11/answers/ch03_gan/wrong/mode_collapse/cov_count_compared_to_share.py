"""PART: mode_coverage
MISTAKE: Compares the number of nearby samples with min_share itself rather than with min_share times the number of samples, so a single nearby sample covers a mode.
Built on correct/mode_collapse/loop_per_component.py.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    K = len(means)
    for k in range(K):
        cov = np.array(covariances[k], dtype=float)
        if cov.shape != (2, 2):
            raise ValueError(f"covariance {k} has shape {cov.shape}, expected (2, 2)")
        if abs(cov[0, 1] - cov[1, 0]) > 1e-9 * max(1.0, np.abs(cov).max()):
            raise ValueError(f"covariance {k} is not symmetric: {cov.tolist()}")
        smallest = np.linalg.eigvalsh(cov).min()
        if smallest < -1e-9:
            raise ValueError(
                f"covariance {k} has a negative eigenvalue {smallest:.3g}: "
                "not positive semi-definite"
            )
    rng = np.random.default_rng(seed)
    components = rng.choice(K, size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k in range(K):
        where = np.flatnonzero(components == k)
        if where.size:
            points[where] = rng.multivariate_normal(
                np.asarray(means[k], dtype=float),
                np.asarray(covariances[k], dtype=float),
                size=where.size,
                method="eigh",
            )
    return points, components.astype(int)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=float):
        offsets = samples - mean
        near = np.count_nonzero(np.sqrt((offsets**2).sum(axis=1)) <= radius)
        if total > 0 and near >= min_share:
            covered += 1
    return covered
