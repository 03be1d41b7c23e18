"""Pixels rounded to the nearest of L levels spread over 0..255."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "the values are rounded to the nearest level, round(x * (L - 1) / 255), instead of "
    "floor(x * L / 256): L equal bins of width 256 / L (the two agree only for 2 and 256 levels)."
)


def quantize(images, levels):
    return np.rint(np.asarray(images, np.int64) * (levels - 1) / 255).astype(np.int32)
