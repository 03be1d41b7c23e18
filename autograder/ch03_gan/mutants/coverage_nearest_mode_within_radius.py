"""Each sample counted for its nearest mode only (when within radius), never for two."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "Each sample counts only for its nearest mode; a sample within radius of two means counts "
    "for both of them."
)


def modes_covered(samples, means, radius, min_share=0.01):
    samples, means = np.asarray(samples, np.float64), np.asarray(means, np.float64)
    distances = np.linalg.norm(samples[:, None] - means[None], axis=-1)
    nearest = distances.argmin(axis=1)
    within = distances[np.arange(len(samples)), nearest] <= radius
    shares = np.bincount(nearest[within], minlength=len(means)) / len(samples)
    return int((shares >= min_share).sum())
