"""strengths[:, None] * vectors added to the codes row by row."""

import numpy as np

PART = "latent_arithmetic"
MISTAKE = (
    "edit_codes adds strengths[c] * vectors[c] to row c of the codes (one weighted vector per "
    "row) instead of adding the sum over c of strengths[c] * vectors[c] to every code."
)
NAMED_BY = "to code c alone, one vector per row"


def edit_codes(codes, vectors, strengths):
    return np.asarray(codes, np.float64) + np.asarray(strengths)[:, None] * np.asarray(vectors)
