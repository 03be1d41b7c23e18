"""slerp interpolates in a straight line, (1 - t) z_a + t z_b, which cuts through the inside of the
sphere.
"""

# ruff: noqa: F821 (names from the notebook)

import numpy as np

PART = "manifold_interpolation"
MISTAKE = (
    "slerp interpolates in a straight line, (1 - t) z_a + t z_b, which cuts through the "
    "inside of the sphere."
)


def slerp(z_a, z_b, t):
    return (1 - t) * np.asarray(z_a) + t * np.asarray(z_b)
