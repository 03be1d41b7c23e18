"""The mask's last axis has in_channels entries, whatever out_channels is."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    "causal_mask tiles the mask to (k, k, in_channels, in_channels), ignoring out_channels; "
    "its shape is (k, k, in_channels, out_channels)."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size % 2 != 1:
        raise ValueError(f"kernel_size must be odd, not {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f'mask_type must be "A" or "B", not {mask_type!r}')
    centre = kernel_size // 2
    plane = np.zeros((kernel_size, kernel_size), np.float32)
    plane[:centre] = 1.0
    plane[centre, :centre] = 1.0
    if mask_type == "B":
        plane[centre, centre] = 1.0
    return np.tile(plane[:, :, None, None], (1, 1, in_channels, in_channels))
