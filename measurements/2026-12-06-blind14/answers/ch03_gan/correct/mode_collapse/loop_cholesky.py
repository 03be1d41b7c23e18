"""Style: NumPy with explicit loops over the components. Each covariance is validated one by
one, factored by Cholesky (falling back to the eigendecomposition for a singular but positive
semi-definite one); noise is drawn per component in row-vector form, eps @ L^T. Mode count with
a loop over the modes and squared distances."""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    n_components = means.shape[0]
    factors = []
    for k in range(n_components):
        sigma = covariances[k]
        if not np.allclose(sigma, sigma.T, rtol=1e-7, atol=1e-10):
            raise ValueError(f"covariance {k} is not symmetric: {sigma.tolist()}")
        smallest = np.linalg.eigvalsh(sigma).min()
        if smallest < -1e-9:
            raise ValueError(
                f"covariance {k} has the negative eigenvalue {smallest:.4f}: "
                "it is not positive semi-definite"
            )
        try:
            factor = np.linalg.cholesky(sigma)  # lower triangular, L L^T = sigma
        except np.linalg.LinAlgError:  # singular (semi-definite): use the eigendecomposition
            values, vectors = np.linalg.eigh(sigma)
            factor = vectors @ np.diag(np.sqrt(np.maximum(values, 0.0)))
        factors.append(factor)

    rng = np.random.default_rng(seed)
    components = rng.choice(n_components, size=n)
    points = np.empty((n, means.shape[1]), dtype=float)
    for k in range(n_components):
        chosen = np.flatnonzero(components == k)
        eps = rng.standard_normal((len(chosen), means.shape[1]))
        points[chosen] = means[k] + eps @ factors[k].T  # row form of mu + A eps
    return points.astype(np.float32), components.astype(np.int64)

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=float):
        squared = np.sum((samples - mean) ** 2, axis=1)
        near = np.count_nonzero(squared <= radius**2)
        if total > 0 and near / total >= min_share:
            covered += 1
    return covered
