"""PART: mode_coverage
MISTAKE: Requires the share to be strictly above min_share (>) instead of at least min_share (>=).
Built on correct/mode_collapse/loops_cholesky.py.
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
        if not np.allclose(cov, cov.T, rtol=1e-10, atol=1e-12):
            raise ValueError(f"covariance {k} is not symmetric: {cov.tolist()}")
        smallest = np.linalg.eigvalsh(cov).min()
        if smallest < -1e-9:
            raise ValueError(
                f"covariance {k} has a negative eigenvalue {smallest:.3g}: not positive "
                "semi-definite"
            )
        jittered = cov + 1e-12 * np.eye(len(cov))  # a new array, cov is untouched
        try:
            factors.append(np.linalg.cholesky(jittered))
        except np.linalg.LinAlgError:
            values, vectors = np.linalg.eigh(cov)
            factors.append(vectors @ np.diag(np.sqrt(np.maximum(values, 0.0))))
    rng = np.random.default_rng(seed)
    components = rng.choice(len(means), size=n)
    points = np.empty((n, means.shape[1]), dtype=np.float64)
    for k in range(len(means)):
        chosen = np.flatnonzero(components == k)
        noise = rng.standard_normal((len(chosen), means.shape[1]))
        points[chosen] = means[k] + noise @ factors[k].T
    return points.astype(np.float32), components

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=np.float64)
    total = len(samples)
    covered = 0
    for mean in np.asarray(means, dtype=np.float64):
        dx = samples[:, 0] - mean[0]
        dy = samples[:, 1] - mean[1]
        near = np.count_nonzero(np.hypot(dx, dy) <= radius)
        if total > 0 and near / total > min_share:
            covered += 1
    return covered
