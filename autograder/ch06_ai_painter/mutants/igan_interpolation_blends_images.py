"""interpolate_on_manifold decodes the two codes and blends the images, instead of decoding the
codes in between.
"""

# ruff: noqa: F821 (names from the notebook)

import numpy as np

PART = "manifold_interpolation"
MISTAKE = (
    "interpolate_on_manifold decodes the two codes and blends the images, instead of decoding"
    " the codes in between."
)


def interpolate_on_manifold(generator, z_a, z_b, steps):
    ends = np.asarray(generator(np.stack([z_a, z_b]), training=False))
    return np.stack([(1 - t) * ends[0] + t * ends[1] for t in np.linspace(0, 1, steps)])
