"""edit_codes adds the shift into the caller's array (in place) and returns it."""

import numpy as np

PART = "latent_arithmetic"
MISTAKE = (
    "edit_codes adds the shift to the codes array it was given, in place (codes += ...), so the "
    "caller's codes change too; return a new array."
)


def edit_codes(codes, vectors, strengths):
    codes = np.asarray(codes)
    codes += np.asarray(strengths) @ np.asarray(vectors)
    return codes
