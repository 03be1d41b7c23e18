"""PART: mode_coverage
MISTAKE: Loops over range(len(means) - 1), so the last mode is never counted.
Based on correct/mode_collapse/loops.py.
Public checks: NOT caught (every part passes its public checks).
My own test that shows it: mode_coverage:coverage_overlap: AssertionError: overlapping modes 1
"""


# %% part: mixture_sampling
def _factor(covariance):
    """A with A A^T = covariance, for a symmetric PSD 2x2 matrix (round-off negatives -> 0)."""
    values, vectors = np.linalg.eigh(covariance)
    return vectors @ np.diag(np.sqrt(np.maximum(values, 0.0)))


def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    means = np.array(means, dtype=float)
    covariances = np.array(covariances, dtype=float)
    factors = []
    for k, covariance in enumerate(covariances):
        if np.max(np.abs(covariance - covariance.T)) > 1e-9 * max(1.0, np.max(np.abs(covariance))):
            raise ValueError(f"covariance {k} is not symmetric")
        if np.linalg.eigvalsh(covariance).min() < -1e-9:
            raise ValueError(f"covariance {k} has a negative eigenvalue")
        factors.append(_factor(covariance))

    rng = np.random.default_rng(seed)
    num_components = len(means)
    components = rng.choice(num_components, size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k in range(num_components):
        chosen = np.flatnonzero(components == k)
        noise = rng.standard_normal((len(chosen), 2))
        points[chosen] = means[k] + noise @ factors[k].T
    return points, components


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    means = np.asarray(means, dtype=float)
    for k in range(len(means) - 1):
        mean = means[k]
        near = 0
        for point in samples:
            if np.hypot(*(point - mean)) <= radius:
                near += 1
        if near >= min_share * total:
            covered += 1
    return covered
