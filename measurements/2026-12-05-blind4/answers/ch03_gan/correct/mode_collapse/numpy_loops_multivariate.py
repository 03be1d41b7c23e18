"""Style: NumPy with loops over the components. Each covariance is validated on its own
(symmetry with allclose, smallest eigenvalue with eigvalsh); the points of each component are
drawn with Generator.multivariate_normal (SVD method, fine for semi-definite matrices);
the mode count loops over the means."""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    for k, cov in enumerate(covariances):
        if not np.allclose(cov, cov.T, rtol=0.0, atol=1e-9):
            raise ValueError(f"covariance {k} is not symmetric")
        smallest = np.linalg.eigvalsh(cov)[0]
        if smallest < -1e-9:
            raise ValueError(f"covariance {k} has the negative eigenvalue {smallest:.4f}")
    rng = np.random.default_rng(seed)
    num_components = len(means)
    components = rng.choice(num_components, size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k in range(num_components):
        chosen = np.flatnonzero(components == k)
        if len(chosen) == 0:
            continue
        points[chosen] = rng.multivariate_normal(means[k], covariances[k], size=len(chosen))
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
        offsets = samples - mean
        near = np.count_nonzero(np.hypot(offsets[:, 0], offsets[:, 1]) <= radius)
        if total > 0 and near / total >= min_share:
            covered += 1
    return covered
