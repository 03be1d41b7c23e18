"""PART: mixture_sampling
MISTAKE: Multiplies the noise by the covariance matrix itself instead of a factor A with A A^T = covariance, so the points have covariance Sigma^2.
Built on correct/mode_collapse/loop_per_component.py (otherwise unchanged).
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
        cov = np.array(covariances[k], dtype=np.float64)  # a copy
        if np.max(np.abs(cov - cov.T)) > 1e-9:
            raise ValueError("covariance %d is not symmetric" % k)
        if np.min(np.linalg.eigvalsh(cov)) < -1e-9:
            raise ValueError("covariance %d has a negative eigenvalue" % k)
        # A tiny jitter lets Cholesky factor singular (semi-definite) matrices too.
        jitter = 1e-10 * max(1.0, float(np.trace(cov)))
        factors.append(cov)
    rng = np.random.default_rng(seed)
    components = rng.choice(k_count, size=n)
    points = np.empty((n, 2), dtype=np.float64)
    for k in range(k_count):
        chosen = np.flatnonzero(components == k)
        eps = rng.normal(size=(len(chosen), 2))
        points[chosen] = np.asarray(means[k], dtype=np.float64) + eps @ factors[k].T
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
        near = int(np.count_nonzero(squared <= radius**2))
        if total > 0 and near / total >= min_share:
            covered += 1
    return covered
