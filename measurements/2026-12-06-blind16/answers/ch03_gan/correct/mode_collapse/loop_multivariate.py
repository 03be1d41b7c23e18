"""Style: loops over the components; validation per matrix with np.linalg.eigvalsh; points of
each component drawn with Generator.multivariate_normal into their (mixed) slots; modes counted
with a Python loop and counts rather than shares."""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    k_count = len(means)
    for k in range(k_count):
        cov = np.array(covariances[k], dtype=float)
        if not np.allclose(cov, cov.T, atol=1e-10):
            raise ValueError(f"covariance {k} is not symmetric")
        smallest = np.linalg.eigvalsh(cov).min()
        if smallest < -1e-9:
            raise ValueError(f"covariance {k} has the negative eigenvalue {smallest}")
    rng = np.random.default_rng(seed)
    components = rng.choice(k_count, size=n)
    points = np.empty((n, 2), dtype=np.float64)
    for k in range(k_count):
        chosen = components == k
        points[chosen] = rng.multivariate_normal(
            np.array(means[k], dtype=float), np.array(covariances[k], dtype=float),
            size=int(chosen.sum()),
        )
    return points.astype(np.float32), components.astype(int)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=float):
        near = np.sqrt(((samples - mean) ** 2).sum(axis=1)) <= radius
        if total > 0 and near.sum() / total >= min_share:
            covered += 1
    return covered
