"""The number of samples near a mode instead of the number of modes."""

import numpy as np

PART = "mode_coverage"
MISTAKE = (
    "It returns how many samples lie near a mode; the count asked for is of modes, those "
    "holding at least min_share of the samples."
)


def modes_covered(samples, means, radius, min_share=0.01):
    near = np.linalg.norm(samples[:, None] - means[None], axis=-1) <= radius
    return int(near.any(axis=1).sum())
