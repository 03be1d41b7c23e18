"""PART: mixture_sampling
MISTAKE: Adds a 1e-9 jitter to the diagonal through a view of the caller's array before Cholesky, changing the covariances it was given.
Built on correct/mode_collapse/loops_cholesky_per_component.py (one change).
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    factors = []
    for k, sigma in enumerate(covariances):
        if not np.allclose(sigma, sigma.T):
            raise ValueError(f"covariance {k} is not symmetric")
        lam, vec = np.linalg.eigh(sigma)
        if lam.min() < -1e-9:
            raise ValueError(f"covariance {k} has the negative eigenvalue {lam.min():.3g}")
        sigma += 1e-9 * np.eye(2)  # jitter for a stable Cholesky
        try:
            factors.append(np.linalg.cholesky(sigma))  # lower triangular, L L^T = sigma
        except np.linalg.LinAlgError:  # singular: positive semi-definite only
            factors.append(vec @ np.diag(np.sqrt(np.maximum(lam, 0.0))))

    rng = np.random.default_rng(seed)
    components = rng.integers(len(means), size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k in range(len(means)):
        chosen = np.flatnonzero(components == k)
        eps = rng.standard_normal((len(chosen), 2))
        points[chosen] = means[k] + eps @ factors[k].T  # each row: mu + L eps
    return points, components.astype(np.int64)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=float):
        dx = samples[:, 0] - mean[0]
        dy = samples[:, 1] - mean[1]
        inside = np.count_nonzero(np.sqrt(dx * dx + dy * dy) <= radius)
        if total > 0 and inside / total >= min_share:
            covered += 1
    return covered
