"""The codes centred in place: the caller's array changes."""

import numpy as np

PART = "latent_statistics"
MISTAKE = (
    "latent_statistics centres the codes in the caller's own array (np.asarray does not "
    "copy it, so any write into it reaches the caller), so the caller's codes change; "
    "compute on a copy."
)


def latent_statistics(codes):
    codes = np.asarray(codes)
    mean = codes.mean(axis=0)
    codes -= mean
    return mean, np.sqrt(np.mean(codes**2, axis=0))
