"""Only the row just above the centre kept: right for 3x3 kernels only."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    "the mask keeps only the row just above the centre (row == centre - 1) instead of every "
    "row above it (row < centre): the same for 3x3 kernels, but larger kernels lose their upper "
    "rows."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if mask_type not in ("A", "B"):
        raise ValueError(f"unknown mask type {mask_type!r}")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError("the kernel size must be odd")
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size), np.float32)
    mask[centre - 1, :] = 1.0 if kernel_size > 1 else 0.0
    mask[centre, :centre] = 1.0
    if mask_type == "B":
        mask[centre, centre] = 1.0
    return np.tile(mask[:, :, None, None], (1, 1, in_channels, out_channels))
