"""SciPy: covariances checked with the closed-form eigenvalues of a symmetric 2x2 matrix
(mean of the diagonal -+ sqrt(half-difference^2 + off-diagonal^2)), points drawn with
scipy.stats.multivariate_normal(random_state=rng) per component, modes counted with cdist.
"""

# %% part: mixture_sampling
from scipy import stats


def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.asarray(means, dtype=np.float64)
    covariances = np.asarray(covariances, dtype=np.float64)
    if means.shape[1:] != (2,) or covariances.shape != (len(means), 2, 2):
        raise ValueError("means must be (K, 2) and covariances (K, 2, 2)")
    a, b, c, d = (covariances[:, i, j] for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    if not np.allclose(b, c, rtol=1e-12, atol=1e-12):
        raise ValueError("a covariance is not symmetric")
    centre, half_gap = (a + d) / 2.0, (a - d) / 2.0
    lowest = centre - np.sqrt(half_gap**2 + b**2)  # the smaller eigenvalue of [[a, b], [b, d]]
    if np.any(lowest < -1e-9):
        raise ValueError(
            f"covariances {np.flatnonzero(lowest < -1e-9).tolist()} have a negative eigenvalue "
            f"({lowest.min():.3f}): not positive semi-definite"
        )
    rng = np.random.default_rng(seed)
    components = rng.integers(len(means), size=n)
    points = np.empty((n, 2))
    for k in range(len(means)):
        chosen = components == k
        count = int(chosen.sum())
        if count == 0:
            continue
        # Round-off (down to -1e-9) would upset SciPy's own check: clip the eigenvalues at 0.
        values, vectors = np.linalg.eigh((covariances[k] + covariances[k].T) / 2)
        psd = (vectors * np.clip(values, 0.0, None)) @ vectors.T
        law = stats.multivariate_normal(mean=means[k], cov=psd, allow_singular=True)
        points[chosen] = np.reshape(law.rvs(size=count, random_state=rng), (count, 2))
    return points.astype(np.float32), components


# %% part: mode_coverage
from scipy.spatial.distance import cdist


def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.atleast_2d(np.asarray(samples, dtype=np.float64))
    means = np.atleast_2d(np.asarray(means, dtype=np.float64))
    if samples.size == 0:
        return 0
    within = cdist(samples, means) <= radius  # (N, K)
    counts = within.sum(axis=0)
    return int(sum(count / len(samples) >= min_share for count in counts))
