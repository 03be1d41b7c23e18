"""quantize multiplies uint8 images before widening them: the product wraps around."""

import numpy as np

PART = "quantize"
MISTAKE = (
    "quantize multiplies the uint8 images before converting them to a wider integer "
    "type, so images * levels overflows and wraps around."
)


def quantize(images, levels):
    return np.floor(np.asarray(images) * levels / 256).astype(np.int32)
