"""PART: mixture_sampling
MISTAKE: Refuses any negative eigenvalue, without the -1e-9 allowance for round-off, so singular semi-definite covariances can be refused.
Built on correct/mode_collapse/vectorised_eigh.py.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.array(means, dtype=np.float64)  # copies: the caller's arrays stay as they are
    covariances = np.array(covariances, dtype=np.float64)
    k, d = means.shape
    if covariances.shape != (k, d, d):
        raise ValueError(f"covariances of shape {covariances.shape} do not fit means {means.shape}")
    factors = np.empty_like(covariances)
    for i, cov in enumerate(covariances):
        if not np.allclose(cov, cov.T, rtol=0.0, atol=1e-9):
            raise ValueError(f"covariance {i} is not symmetric: {cov.tolist()}")
        eigenvalues, eigenvectors = np.linalg.eigh(cov)
        if eigenvalues.min() < 0:
            raise ValueError(
                f"covariance {i} is not positive semi-definite: eigenvalues {eigenvalues.tolist()}"
            )
        factors[i] = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))  # V diag(sqrt l)
    rng = np.random.default_rng(seed)
    components = rng.integers(0, k, size=n)
    noise = rng.standard_normal((n, d))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    if len(samples) == 0:
        return 0
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)  # (N, K)
    shares = np.mean(distances <= radius, axis=0)  # share of all samples near each mean
    return int(np.count_nonzero(shares >= min_share))
