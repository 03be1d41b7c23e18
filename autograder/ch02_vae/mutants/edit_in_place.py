"""edit_codes adds the shift into the caller's array (in place) and returns it."""

import numpy as np

PART = "latent_arithmetic"
MISTAKE = (
    "edit_codes writes the edited codes into the codes array it was given, so the caller's "
    "codes change too; return a new array."
)


def edit_codes(codes, vectors, strengths):
    codes = np.asarray(codes)
    codes += np.asarray(strengths) @ np.asarray(vectors)
    return codes
