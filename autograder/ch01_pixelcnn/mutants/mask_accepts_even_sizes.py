"""Even kernel sizes are accepted (they have no centre pixel)."""

import numpy as np

PART = "causal_mask"
MISTAKE = (
    "causal_mask accepts even kernel sizes, which have no centre pixel; raise ValueError "
    "for them (and for mask types other than 'A' and 'B')."
)


def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size), dtype=np.float32)
    mask[:centre, :] = 1.0
    mask[centre, :centre] = 1.0
    if mask_type == "B":
        mask[centre, centre] = 1.0
    return np.tile(mask[:, :, None, None], (1, 1, in_channels, out_channels))
