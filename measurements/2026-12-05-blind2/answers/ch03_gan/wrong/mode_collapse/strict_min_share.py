"""PART: mode_coverage
MISTAKE: Requires a share strictly greater than min_share, so a mode holding exactly min_share of the samples is not counted.
Built on correct/mode_collapse/loops_multivariate.py with only this mistake.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    k_count = len(means)
    for k in range(k_count):
        cov = np.asarray(covariances[k], dtype=float)
        scale = max(1.0, float(np.max(np.abs(cov))))
        if np.max(np.abs(cov - cov.T)) > 1e-9 * scale:
            raise ValueError(f"covariance {k} is not symmetric: {cov.tolist()}")
        smallest = np.linalg.eigvalsh(cov)[0]
        if smallest < -1e-9:
            raise ValueError(
                f"covariance {k} is not positive semi-definite (eigenvalue {smallest:.3g})"
            )
    rng = np.random.default_rng(seed)
    components = rng.choice(k_count, size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k in range(k_count):
        chosen = components == k
        drawn = rng.multivariate_normal(
            np.asarray(means[k], dtype=float),
            np.asarray(covariances[k], dtype=float),
            size=int(chosen.sum()),
            method="eigh",
        )
        points[chosen] = drawn
    return points, components

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
        if total > 0 and near / total > min_share:
            covered += 1
    return covered
