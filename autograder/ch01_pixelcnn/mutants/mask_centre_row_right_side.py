"""The centre row is opened to the right of the centre instead of the left."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    "causal_mask opens the centre row to the right of the centre instead of the left: the "
    "pixels after the centre in raster order are kept, those before it hidden."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size < 1 or kernel_size % 2 == 0 or mask_type not in ("A", "B"):
        raise ValueError("an odd kernel size and a mask type 'A' or 'B' are needed")
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    mask[:centre] = 1.0
    mask[centre, centre + 1 :] = 1.0
    mask[centre, centre] = 1.0 if mask_type == "B" else 0.0
    return np.tile(mask[:, :, None, None], (1, 1, in_channels, out_channels))
