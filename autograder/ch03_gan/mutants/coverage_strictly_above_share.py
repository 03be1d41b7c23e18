"""A mode counts only with strictly more than min_share of the samples."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "a mode counts only when strictly more than min_share of the samples are near it; the task "
    "says at least min_share (>=)."
)


def modes_covered(samples, means, radius, min_share=0.01):
    samples, means = np.asarray(samples, np.float64), np.asarray(means, np.float64)
    near = np.linalg.norm(samples[:, None] - means[None], axis=-1) <= radius
    return int(np.count_nonzero(near.mean(axis=0) > min_share))
