"""mask_type tested as a substring of "AB", so "" and "AB" pass as mask types."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    'causal_mask checks mask_type with `in "AB"`, a substring test, so "" and "AB" are accepted '
    'as mask types; compare with the two allowed values, ("A", "B"), and raise ValueError for '
    "anything else."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    if kernel_size % 2 == 0:
        raise ValueError("kernel_size must be odd")
    if mask_type not in "AB":
        raise ValueError("mask_type must be A or B")
    k = kernel_size
    flat = np.arange(k * k).reshape(k, k)
    centre = (k * k) // 2
    plane = (flat < centre) | ((flat == centre) & (mask_type == "B"))
    return np.tile(plane[:, :, None, None], (1, 1, in_channels, out_channels)).astype(np.float32)
