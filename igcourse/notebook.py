"""Helpers that notebooks import: quick mode and image grids."""

import os

import numpy as np


def quick_mode():
    """True when the notebook should run its short version.

    nbgrader sets NBGRADER_EXECUTION while it autogrades; CI and impatient readers set
    IGCOURSE_QUICK=1. IGCOURSE_QUICK=0 forces the full run.
    """
    flag = os.environ.get("IGCOURSE_QUICK")
    if flag is not None:
        return flag not in ("", "0", "false", "False")
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def image_grid(images, columns=8, pad=1, pad_value=1.0):
    """Tile images (N, H, W) or (N, H, W, C) into one array for plt.imshow."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    n, h, w = images.shape[:3]
    rows = -(-n // columns)
    grid_shape = (rows * (h + pad) + pad, columns * (w + pad) + pad) + images.shape[3:]
    grid = np.full(grid_shape, pad_value, dtype=np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        top, left = pad + r * (h + pad), pad + c * (w + pad)
        grid[top : top + h, left : left + w] = image
    return grid
