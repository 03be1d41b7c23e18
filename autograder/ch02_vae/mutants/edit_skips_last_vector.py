"""edit_codes loops over range(len(strengths) - 1): the last vector is never added."""

import numpy as np

PART = "latent_arithmetic"
MISTAKE = (
    "edit_codes loops over range(len(strengths) - 1), so the last vector is never added, "
    "whatever its strength."
)


def edit_codes(codes, vectors, strengths):
    edited = np.array(codes, dtype=np.float64)
    for c in range(len(strengths) - 1):
        edited = edited + strengths[c] * np.asarray(vectors[c], np.float64)
    return edited
