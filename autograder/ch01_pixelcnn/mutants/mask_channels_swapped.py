"""The channel axes in the wrong order: (k, k, out, in)."""

import numpy as np

PART = "causal_mask"
MISTAKE = "the mask's channel axes are swapped: its shape is (k, k, out_channels, in_channels)."
NAMED_BY = "Those are the right sizes in another order: axes swapped."


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, not {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', not {mask_type!r}")
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    mask[:centre, :] = 1.0
    mask[centre, :centre] = 1.0
    if mask_type == "B":
        mask[centre, centre] = 1.0
    return np.tile(mask[:, :, None, None], (1, 1, out_channels, in_channels))
