"""PART: mode_coverage
MISTAKE: Assigns each sample to its nearest mean only, so a sample within radius of two overlapping modes counts for one of them instead of both.
Built on correct/mode_collapse/eigh_vectorised.py (otherwise unchanged).
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.asarray(means, dtype=np.float64)
    covariances = np.asarray(covariances, dtype=np.float64)
    factors = []
    for k, cov in enumerate(covariances):
        if not np.allclose(cov, cov.T):
            raise ValueError(f"covariance {k} is not symmetric: {cov.tolist()}")
        values, vectors = np.linalg.eigh(cov)
        if values.min() < -1e-9:
            raise ValueError(
                f"covariance {k} is not positive semi-definite (eigenvalues {values.tolist()})"
            )
        factors.append(vectors * np.sqrt(np.clip(values, 0.0, None)))  # V diag(sqrt(lambda))
    factors = np.stack(factors)  # (K, 2, 2), A A^T = covariance
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, means.shape[1]))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components.astype(np.int64)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)  # (N, K)
    nearest = distances == distances.min(axis=1, keepdims=True)
    shares = np.mean((distances <= radius) & nearest, axis=0)
    return int(np.sum(shares >= min_share))
