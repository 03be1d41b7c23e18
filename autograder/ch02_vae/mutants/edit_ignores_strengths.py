"""Every vector added with strength 1 whatever the strengths say."""

import numpy as np

PART = "latent_arithmetic"
MISTAKE = (
    "edit_codes adds every vector once and ignores the strengths; weight vector c by strengths[c]."
)


def edit_codes(codes, vectors, strengths):
    return np.asarray(codes, np.float64) + np.asarray(vectors).sum(axis=0)
