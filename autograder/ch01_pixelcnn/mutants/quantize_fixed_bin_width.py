"""Integer division by the bin width 256 // levels."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize divides by the whole bin width 256 // levels, which is floor(x * levels / 256) "
    "only when levels divides 256; for 3, 5, 7 ... levels the top pixels land past the last "
    "level. Compute floor(x * levels / 256)."
)


def quantize(images, levels):
    return (np.asarray(images, dtype=np.int64) // (256 // levels)).astype(np.int32)
