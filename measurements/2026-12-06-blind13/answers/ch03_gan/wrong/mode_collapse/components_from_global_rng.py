"""PART: mixture_sampling
MISTAKE: Draws the components with np.random.choice (NumPy's global generator) instead of the seeded rng, so the same seed gives different samples.
Built on correct/mode_collapse/loop_cholesky.py.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    factors = []
    for k, sigma in enumerate(covariances):
        sigma = np.array(sigma, dtype=float)  # a copy: the caller's array stays as it is
        if not np.allclose(sigma, sigma.T):
            raise ValueError(f"covariance {k} is not symmetric: {sigma.tolist()}")
        lowest = np.linalg.eigvalsh(sigma).min()
        if lowest < -1e-9:
            raise ValueError(f"covariance {k} has the negative eigenvalue {lowest:.4f}")
        try:
            factor = np.linalg.cholesky(sigma)  # sigma = L L^T
        except np.linalg.LinAlgError:  # semi-definite: a zero eigenvalue
            values, vectors = np.linalg.eigh(sigma)
            factor = vectors @ np.diag(np.sqrt(np.maximum(values, 0.0)))
        factors.append(factor)

    rng = np.random.default_rng(seed)
    components = np.random.choice(len(factors), size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k, factor in enumerate(factors):
        rows = np.flatnonzero(components == k)
        eps = rng.standard_normal(size=(len(rows), 2))
        # row vectors: (A eps)^T = eps^T A^T
        points[rows] = np.asarray(means[k], dtype=float) + eps @ factor.T
    return points, components

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    total = len(samples)
    covered = 0
    for mean in means:
        offsets = np.asarray(samples, dtype=float) - np.asarray(mean, dtype=float)
        near = np.count_nonzero(np.sqrt(np.sum(offsets**2, axis=1)) <= radius)
        if near / total >= min_share:
            covered += 1
    return covered
