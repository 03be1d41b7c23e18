"""Every row through the centre's is kept whole: an off-by-one in the row slice."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    "the mask keeps the rows up to and including the centre row whole, the centre itself too "
    "for type A (an off-by-one in the row slice): the centre row must stop before the centre."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, not {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', not {mask_type!r}")
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    mask[: centre + 1, :] = 1.0
    return np.tile(mask[:, :, None, None], (1, 1, in_channels, out_channels))
