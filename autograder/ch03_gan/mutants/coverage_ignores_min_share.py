"""A mode counts as soon as one sample lies within the radius."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "A mode counts as covered as soon as one sample is near it; it needs at least min_share of "
    "all the samples."
)


def modes_covered(samples, means, radius, min_share=0.01):
    distances = np.linalg.norm(samples[:, None] - means[None], axis=-1)
    return int((distances <= radius).any(axis=0).sum())
