"""PART: mixture_sampling
MISTAKE: Multiplies the noise by L^T instead of the lower Cholesky factor L (wrong einsum indices), so the covariance is L^T L, not L L^T = Sigma, for any non-diagonal covariance.
Built on correct/mode_collapse/cholesky_vectorised.py, with that one mistake.
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
    if covariances.ndim != 3 or covariances.shape[1:] != (2, 2):
        raise ValueError(f"covariances must have shape (K, 2, 2), not {covariances.shape}")
    if means.shape != (len(covariances), 2):
        raise ValueError(f"means must have shape ({len(covariances)}, 2), not {means.shape}")
    if not np.allclose(covariances, np.swapaxes(covariances, 1, 2)):
        raise ValueError("a covariance matrix is not symmetric")
    eigenvalues = np.linalg.eigvalsh(covariances)  # (K, 2)
    if np.any(eigenvalues < -1e-9):
        raise ValueError(
            f"a covariance matrix has a negative eigenvalue: {eigenvalues.min():.3g}"
        )

    factors = np.empty_like(covariances)
    for k, cov in enumerate(covariances):
        try:
            factors[k] = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:  # positive semi-definite but singular
            values, vectors = np.linalg.eigh(cov)
            factors[k] = vectors * np.sqrt(np.clip(values, 0.0, None))

    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, 2))
    points = means[components] + np.einsum("nji,nj->ni", factors[components], noise)
    return points.astype(np.float32), components

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)  # (N, K)
    shares = np.mean(distances <= radius, axis=0)  # (K,) share of all samples near each mean
    return int(np.count_nonzero(shares >= min_share))
