"""quantize divides by 255 and clips the top level back: right only where L divides 256."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize computes floor(x * L / 255) clipped to L - 1 instead of floor(x * L / 256): the "
    "clip hides pixel 255, but for L that does not divide 256 some pixels land a level too high."
)


def quantize(images, levels):
    scaled = np.floor(np.asarray(images, dtype=np.float64) * levels / 255)
    return np.minimum(scaled, levels - 1).astype(np.int32)
