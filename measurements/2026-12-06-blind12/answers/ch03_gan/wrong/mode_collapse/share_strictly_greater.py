"""PART: mode_coverage
MISTAKE: Requires the share to be strictly greater than min_share instead of at least min_share.
Built on correct/mode_collapse/loops_cholesky_jitter.py with that one change.
"""

# %% part: mixture_sampling
def sample_mixture(n, means, covariances, seed):
    """n points from an equal-weight mixture of Gaussians, and the component of each.

    means (K, 2), covariances (K, 2, 2), each symmetric positive semi-definite (else
    ValueError). All randomness from np.random.default_rng(seed).
    Returns (points float32 (n, 2), components int (n,)).
    """
    factors = []
    for index, covariance in enumerate(covariances):
        covariance = np.asarray(covariance, dtype=float)
        if not np.allclose(covariance, covariance.T, atol=1e-10):
            raise ValueError(f"covariance {index} is not symmetric")
        smallest = np.linalg.eigvalsh(covariance)[0]
        if smallest < -1e-9:
            raise ValueError(f"covariance {index} has the negative eigenvalue {smallest:.3f}")
        jittered = covariance + 1e-8 * np.eye(len(covariance))  # a new array, not in place
        factors.append(np.linalg.cholesky(jittered))

    rng = np.random.default_rng(seed)
    components = rng.choice(len(factors), size=n)
    points = np.empty((n, 2), dtype=np.float32)
    for k, factor in enumerate(factors):
        chosen = np.flatnonzero(components == k)
        noise = rng.standard_normal((2, len(chosen)))  # one column per point
        points[chosen] = (np.asarray(means[k], dtype=float)[:, None] + factor @ noise).T
    return points, components


# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    covered = 0
    for mean in np.asarray(means, dtype=float):
        offsets = samples - mean
        near = np.sqrt(np.sum(offsets * offsets, axis=1)) <= radius
        if len(near) > 0 and near.sum() / len(near) > min_share:  # share of ALL samples
            covered += 1
    return covered
