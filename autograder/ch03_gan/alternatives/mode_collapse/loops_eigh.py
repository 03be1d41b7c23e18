"""Plain Python loops: one eigendecomposition (numpy.linalg.eigh) per component serves both the
check and the factor A = V diag(sqrt(lambda)); points drawn component by component; modes counted
in a loop over the means with a count/N share; "within radius" read as distance <= radius.
"""


# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.array(means, dtype=float)
    covariances = np.array(covariances, dtype=float)
    k_count = len(means)
    if len(covariances) != k_count:
        raise ValueError(f"{k_count} means but {len(covariances)} covariances")
    factors = []
    for k in range(k_count):
        sigma = covariances[k]
        if sigma.shape != (2, 2):
            raise ValueError(f"covariance {k} has shape {sigma.shape}, expected (2, 2)")
        scale = max(1.0, float(np.abs(sigma).max()))
        if abs(sigma[0, 1] - sigma[1, 0]) > 1e-9 * scale:
            raise ValueError(f"covariance {k} is not symmetric: {sigma.tolist()}")
        eigenvalues, eigenvectors = np.linalg.eigh(sigma)
        if eigenvalues[0] < -1e-9:  # eigh sorts them in ascending order
            raise ValueError(
                f"covariance {k} has a negative eigenvalue {eigenvalues[0]:.4f}: "
                "it is not positive semi-definite"
            )
        factors.append(eigenvectors @ np.diag(np.sqrt(np.maximum(eigenvalues, 0.0))))

    rng = np.random.default_rng(seed)
    components = rng.choice(k_count, size=n)
    points = np.zeros((n, 2), dtype=np.float64)
    for k in range(k_count):
        rows = np.flatnonzero(components == k)
        epsilon = rng.standard_normal(size=(len(rows), 2))
        points[rows] = means[k] + epsilon @ factors[k].T
    return points.astype(np.float32), np.asarray(components, dtype=np.int64)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=float):
        near = 0
        for point in samples:
            if np.hypot(point[0] - mean[0], point[1] - mean[1]) <= radius:
                near += 1
        if total > 0 and near / total >= min_share:
            covered += 1
    return covered
