"""PART: mixture_sampling
MISTAKE: Rejects any eigenvalue below 0 without the -1e-9 round-off allowance, so valid singular covariances (an eigenvalue of -1e-17 by round-off) raise ValueError.
Built on correct/mode_collapse/loop_cholesky.py.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    k_count = len(means)
    factors = []
    for k in range(k_count):
        cov = np.asarray(covariances[k], dtype=np.float64)
        if np.max(np.abs(cov - cov.T)) > 1e-9 * max(1.0, np.max(np.abs(cov))):
            raise ValueError(f"covariance {k} is not symmetric")
        smallest = np.linalg.eigvalsh(cov)[0]
        if smallest < 0:
            raise ValueError(f"covariance {k} has a negative eigenvalue {smallest:.3g}")
        jittered = cov + 1e-8 * np.eye(len(cov))  # a new array, not a view of the input
        factors.append(np.linalg.cholesky(jittered))  # L with L L^T = covariance
    rng = np.random.default_rng(seed)
    components = rng.choice(k_count, size=n)
    points = np.empty((n, 2), dtype=np.float64)
    for k in range(k_count):
        chosen = np.flatnonzero(components == k)
        eps = rng.normal(size=(2, len(chosen)))  # column vectors
        points[chosen] = (np.asarray(means[k], np.float64)[:, None] + factors[k] @ eps).T
    return points.astype(np.float32), components

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
        near = np.count_nonzero(squared <= radius**2)
        if total > 0 and near / total >= min_share:
            covered += 1
    return covered
