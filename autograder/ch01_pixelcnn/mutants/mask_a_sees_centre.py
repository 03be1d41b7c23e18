"""Type A keeps the centre pixel."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    "the type A mask keeps the centre pixel, so the first layer sees the very pixel it "
    "must predict."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, not {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', not {mask_type!r}")
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    mask[:centre, :] = 1.0
    mask[centre, : centre + 1] = 1.0  # the centre, for both types
    return np.tile(mask[:, :, None, None], (1, 1, in_channels, out_channels))
