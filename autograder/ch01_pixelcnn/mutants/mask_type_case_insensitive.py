"""mask_type upper-cased before it is checked, so "a" and "b" pass."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    'causal_mask upper-cases mask_type before checking it, so "a" and "b" are accepted; the '
    'task allows exactly "A" and "B" and asks for ValueError for anything else.'
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size % 2 != 1:
        raise ValueError("kernel_size must be odd")
    mask_type = str(mask_type).upper()
    if mask_type not in ("A", "B"):
        raise ValueError("mask_type must be A or B")
    centre = kernel_size // 2
    mask = np.ones((kernel_size, kernel_size), np.float32)
    mask[centre, centre + (mask_type == "B") :] = 0.0
    mask[centre + 1 :] = 0.0
    return np.broadcast_to(
        mask[:, :, None, None], (kernel_size, kernel_size, in_channels, out_channels)
    ).astype(np.float32)
