"""PART: mixture_sampling
MISTAKE: Checks only the eigenvalues from np.linalg.eigvalsh, which reads one triangle of the matrix, so a non-symmetric covariance is accepted.
Built on correct/mode_collapse/loops_multivariate_normal.py.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    for k, cov in enumerate(covariances):
        smallest = np.linalg.eigvalsh(cov).min()
        if smallest < -1e-9:
            raise ValueError(f"covariance {k} has the negative eigenvalue {smallest}")
    rng = np.random.default_rng(seed)
    n_components = means.shape[0]
    components = rng.choice(n_components, size=n)
    points = np.empty((n, means.shape[1]), dtype=np.float32)
    for k in range(n_components):
        chosen = components == k
        count = int(chosen.sum())
        if count:
            points[chosen] = rng.multivariate_normal(
                means[k], covariances[k], size=count, method="eigh"
            )
    return points, components.astype(int)


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
