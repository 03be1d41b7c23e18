"""quantize rounds instead of flooring."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize rounds to the nearest level instead of rounding down (floor), so the "
    "brightest pixels land in a level that does not exist."
)


def quantize(images, levels):
    return np.round(np.asarray(images, dtype=np.int64) * levels / 256).astype(np.int32)
