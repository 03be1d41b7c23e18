"""quantize multiplies in int16, which overflows for more than 128 levels."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize multiplies the pixel values by L in int16, which overflows once 255 * L passes "
    "32767 (more than 128 levels) and wraps to negative values; widen to int32 first."
)


def quantize(images, levels):
    if not 2 <= levels <= 256:
        raise ValueError(f"levels must be between 2 and 256, not {levels}")
    return ((np.asarray(images).astype(np.int16) * np.int16(levels)) // 256).astype(np.int32)
