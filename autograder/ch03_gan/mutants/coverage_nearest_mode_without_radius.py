"""Each sample is assigned to its nearest mode however far away it is."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "Each sample is assigned to its nearest mode however far it lies; only samples within "
    "radius of a mean count for it."
)


def modes_covered(samples, means, radius, min_share=0.01):
    distances = np.linalg.norm(samples[:, None] - means[None], axis=-1)
    nearest = distances.argmin(axis=1)
    shares = np.bincount(nearest, minlength=len(means)) / len(samples)
    return int((shares >= min_share).sum())
