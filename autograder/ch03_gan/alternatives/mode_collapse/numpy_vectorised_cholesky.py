"""NumPy, fully vectorised: eigvalsh for the check, Cholesky factors (eigh factor when a PSD matrix
is singular), one einsum for all points; modes counted with a broadcast (N, K) distance table,
"within radius" read as distance <= radius, shares as the mean over all N samples.
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
    if means.ndim != 2 or covariances.shape != (len(means), means.shape[1], means.shape[1]):
        raise ValueError(
            f"means {means.shape} and covariances {covariances.shape} do not fit (K, d), (K, d, d)"
        )
    transposed = np.swapaxes(covariances, -1, -2)
    if not np.allclose(covariances, transposed, rtol=0.0, atol=1e-9):
        raise ValueError("every covariance must be symmetric")
    smallest = np.linalg.eigvalsh(covariances).min(axis=-1)  # (K,)
    if np.any(smallest < -1e-9):
        bad = int(np.argmax(smallest < -1e-9))
        raise ValueError(
            f"covariance {bad} is not positive semi-definite (eigenvalue {smallest[bad]:.3g})"
        )
    factors = np.empty_like(covariances)
    for k, covariance in enumerate(covariances):
        try:
            factors[k] = np.linalg.cholesky(covariance)
        except np.linalg.LinAlgError:  # singular (or round-off negative): use the eigenvectors
            values, vectors = np.linalg.eigh(covariance)
            factors[k] = vectors * np.sqrt(np.clip(values, 0.0, None))
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    noise = rng.standard_normal((n, means.shape[1]))
    points = means[components] + np.einsum("nij,nj->ni", factors[components], noise)
    return points.astype(np.float32), components.astype(int)


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    means = np.asarray(means, dtype=np.float64).reshape(-1, 2)
    if len(samples) == 0:
        return 0
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)  # (N, K)
    shares = np.mean(distances <= radius, axis=0)  # share of ALL samples near each mode
    return int(np.count_nonzero(shares >= min_share))
