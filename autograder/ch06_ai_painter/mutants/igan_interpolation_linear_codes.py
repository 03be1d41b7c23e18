"""interpolate_on_manifold interpolates the codes in a straight line instead of with slerp."""

# ruff: noqa: F821 (names from the notebook)

import numpy as np

PART = "manifold_interpolation"
MISTAKE = "interpolate_on_manifold interpolates the codes in a straight line instead of with slerp."


def interpolate_on_manifold(generator, z_a, z_b, steps):
    codes = np.stack([(1 - t) * z_a + t * z_b for t in np.linspace(0, 1, steps)])
    return generator(codes, training=False)
