"""The table read at the transposed pixel: np.indices unpacked as (cols, rows)."""

import numpy as np

PART = "pixel_bits_per_dim"
MISTAKE = (
    "pixel_model_bits_per_dim reads the table at (w, h) for the pixel at row h, column w: "
    "rows and columns are swapped."
)
NAMED_BY = "rows and columns are swapped"


def pixel_model_bits_per_dim(probs, images):
    probs, images = np.asarray(probs), np.asarray(images)
    cols, rows = np.indices(images.shape[1:])
    chosen = probs[rows[None], cols[None], images]
    return float(np.mean(-np.log2(chosen)))
