"""PART: mode_coverage
MISTAKE: Assigns each sample to its nearest mean and counts modes by share of assigned samples, ignoring the radius.
Built on correct/mode_collapse/vectorised_eigh.py with this one mistake.
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
    if not np.allclose(covariances, np.swapaxes(covariances, -1, -2)):
        raise ValueError("every covariance must be symmetric")
    eigenvalues, eigenvectors = np.linalg.eigh(covariances)  # (K, 2), (K, 2, 2)
    if np.any(eigenvalues < -1e-9):
        raise ValueError(
            f"a covariance has a negative eigenvalue: {eigenvalues.min():.3g}"
        )
    factors = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))[:, None, :]  # V diag(sqrt)
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, means.shape[1]))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)  # (N, K)
    nearest = np.argmin(distances, axis=1)
    shares = np.bincount(nearest, minlength=len(means)) / len(samples)  # (K,)
    return int(np.sum(shares >= min_share))
