"""quantize works in place on the caller's array when it is already int32."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize changes the caller's array in place (np.asarray makes no copy of an int32 array, "
    "and *= and //= then write into it); work on a copy."
)


def quantize(images, levels):
    images = np.asarray(images, dtype=np.int32)
    images *= levels
    images //= 256
    return images
