"""PART: mode_coverage
MISTAKE: Compares the squared distance with radius instead of radius**2.
Built on correct/mode_collapse/rng_multivariate.py, with that one mistake.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.array(means, dtype=np.float64, copy=True)
    covariances = np.array(covariances, dtype=np.float64, copy=True)
    for k, cov in enumerate(covariances):
        if not np.allclose(cov, cov.T, rtol=0.0, atol=1e-10):
            raise ValueError(f"covariance {k} is not symmetric")
        smallest = np.min(np.real(np.linalg.eigvals(cov)))
        if smallest < -1e-9:
            raise ValueError(f"covariance {k} has a negative eigenvalue ({smallest:.4g})")

    rng = np.random.default_rng(seed)
    components = rng.integers(len(means), size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k in range(len(means)):
        mask = components == k
        points[mask] = rng.multivariate_normal(
            means[k], covariances[k], size=int(mask.sum()), method="eigh"
        )
    return points, components

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    diff = samples[:, None, :] - means[None, :, :]
    squared = np.einsum("nkd,nkd->nk", diff, diff)
    counts = np.sum(squared <= radius, axis=0)
    return int(sum(1 for c in counts if c / len(samples) >= min_share))
