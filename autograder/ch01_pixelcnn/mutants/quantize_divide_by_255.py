"""quantize divides by 255, so pixel 255 goes one level too far."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize divides by 255 instead of 256, so pixel value 255 lands in level `levels`, "
    "one past the last level."
)


def quantize(images, levels):
    # Widened first, so that this mutant has the one mistake and no uint8 overflow besides.
    return np.floor(np.asarray(images, dtype=np.int64) * levels / 255).astype(np.int32)
