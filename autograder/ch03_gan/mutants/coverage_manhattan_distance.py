"""The L1 (Manhattan) distance where the Euclidean one is asked."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "modes_covered measures the distance to each mean with the L1 (Manhattan) norm, the sum of "
    "the absolute differences; the task's distance is the Euclidean one, np.linalg.norm over "
    "the last axis."
)


def modes_covered(samples, means, radius=1.5, min_share=0.05):
    samples, means = np.asarray(samples, np.float64), np.asarray(means, np.float64)
    distances = np.abs(samples[:, None, :] - means[None, :, :]).sum(axis=-1)
    shares = (distances <= radius).mean(axis=0)
    return int((shares >= min_share).sum())
