"""PART: mixture_sampling
MISTAKE: Draws the number of points per component and returns them sorted by component (all of component 0 first), not a mixture sample in random order.
Built on correct/mode_collapse/loops_multivariate.py.
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
    for index in range(len(covariances)):
        cov = covariances[index]
        if np.max(np.abs(cov - cov.T)) > 1e-9:
            raise ValueError("covariance %d is not symmetric" % index)
        smallest = np.linalg.eigvalsh(cov)[0]
        if smallest < -1e-9:
            raise ValueError(
                "covariance %d has a negative eigenvalue %.3g: not positive semi-definite"
                % (index, smallest)
            )
    rng = np.random.default_rng(seed)
    n_components = len(means)
    counts = rng.multinomial(n, np.full(n_components, 1.0 / n_components))
    components = np.repeat(np.arange(n_components), counts)
    points = np.zeros((n, means.shape[1]), dtype=np.float32)
    for k in range(n_components):
        chosen = np.flatnonzero(components == k)
        if len(chosen) == 0:
            continue
        drawn = rng.multivariate_normal(means[k], covariances[k], size=len(chosen), method="eigh")
        points[chosen] = drawn
    return points, components.astype(np.int64)

# %% part: mode_coverage
def modes_covered(samples, means, radius, min_share=0.01):
    """How many modes have at least min_share of all samples within `radius` of their mean.

    samples (N, 2), means (K, 2). Returns an int in 0..K.
    """
    samples = np.asarray(samples, dtype=float)
    total = len(samples)
    covered = 0
    if total == 0:
        return covered
    for mean in np.asarray(means, dtype=float):
        offsets = samples - mean
        near = np.sqrt((offsets**2).sum(axis=1)) <= radius
        if near.sum() / total >= min_share:
            covered += 1
    return covered
