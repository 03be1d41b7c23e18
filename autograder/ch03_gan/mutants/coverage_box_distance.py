"""The largest coordinate difference (a box) instead of the Euclidean distance."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "modes_covered measures nearness by the largest coordinate difference (a square around the "
    "mean) instead of the Euclidean distance (a circle)."
)


def modes_covered(samples, means, radius, min_share=0.01):
    gaps = np.abs(np.asarray(samples)[:, None] - np.asarray(means)[None]).max(axis=-1)
    shares = (gaps <= radius).mean(axis=0)
    return int((shares >= min_share).sum())
