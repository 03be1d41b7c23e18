"""The share is taken among the samples near some mode, not among all samples."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "The share of a mode is taken among the samples that are near some mode; divide by the "
    "number of all samples."
)


def modes_covered(samples, means, radius, min_share=0.01):
    near = np.linalg.norm(samples[:, None] - means[None], axis=-1) <= radius
    counted = max(int(near.any(axis=1).sum()), 1)
    return int((near.sum(axis=0) / counted >= min_share).sum())
