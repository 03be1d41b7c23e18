"""NumPy Generator.multivariate_normal (method="svd", check_valid="ignore") per component after our
own eigvalsh check; symmetry up to a scale-relative 1e-9. modes_covered reads "within radius" as
strictly closer than radius (squared distances < radius**2).
"""


# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    mu = np.asarray(means, dtype=np.float64)
    sigma = np.asarray(covariances, dtype=np.float64)
    if sigma.ndim != 3 or sigma.shape[0] != mu.shape[0] or sigma.shape[1:] != (2, 2):
        raise ValueError(f"covariances must have shape ({mu.shape[0]}, 2, 2), not {sigma.shape}")
    asymmetry = np.abs(sigma - sigma.transpose(0, 2, 1)).max(axis=(1, 2))
    tolerance = 1e-9 * np.maximum(1.0, np.abs(sigma).max(axis=(1, 2)))
    if np.any(asymmetry > tolerance):
        raise ValueError("covariance matrices must be symmetric")
    eigenvalues = np.linalg.eigvalsh(sigma)
    if (eigenvalues < -1e-9).any():
        raise ValueError(
            f"covariance matrices must be positive semi-definite; eigenvalues {eigenvalues.tolist()}"
        )
    rng = np.random.default_rng(seed)
    labels = rng.integers(low=0, high=len(mu), size=n, dtype=np.int64)
    out = np.zeros((n, 2), dtype=np.float32)
    for k in np.unique(labels):
        mask = labels == k
        out[mask] = rng.multivariate_normal(
            mu[k], sigma[k], size=int(mask.sum()), method="svd", check_valid="ignore"
        )
    return out, labels


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    x = np.asarray(samples, dtype=np.float64)
    centres = np.asarray(means, dtype=np.float64)
    n = x.shape[0]
    if n == 0:
        return 0
    covered = 0
    for centre in centres:
        squared = np.sum((x - centre) ** 2, axis=1)
        if np.sum(squared < radius**2) / n >= min_share:
            covered += 1
    return covered
