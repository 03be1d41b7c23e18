"""PART: mixture_sampling
MISTAKE: Only checks the eigenvalues with np.linalg.eigh (which reads one triangle), never the symmetry, so a non-symmetric covariance is accepted.
Built on correct/mode_collapse/eigen_loops.py, with that one mistake.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    n_components = len(means)
    factors = []
    for k in range(n_components):
        cov = np.array(covariances[k], dtype=np.float64)  # a copy
        values, vectors = np.linalg.eigh(cov)
        if values.min() < -1e-9:
            raise ValueError(
                f"covariance {k} is not positive semi-definite (eigenvalues {values})"
            )
        values = np.maximum(values, 0.0)
        factors.append(vectors @ np.diag(np.sqrt(values)))  # A A^T = V diag(l) V^T

    rng = np.random.default_rng(seed)
    components = rng.choice(n_components, size=n)
    points = np.zeros((n, 2), dtype=np.float64)
    for k in range(n_components):
        rows = np.flatnonzero(components == k)
        eps = rng.normal(size=(len(rows), 2))
        points[rows] = np.asarray(means[k], dtype=np.float64) + eps @ factors[k].T
    return points.astype(np.float32), components.astype(np.int64)

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=np.float64):
        distance = np.sqrt(np.sum((samples - mean) ** 2, axis=1))
        near = int(np.sum(distance <= radius))
        if total > 0 and near / total >= min_share:
            covered += 1
    return covered
