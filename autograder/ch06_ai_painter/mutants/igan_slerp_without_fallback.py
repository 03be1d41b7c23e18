"""slerp divides by sin(omega) even when the codes are parallel, so parallel codes give NaN."""

# ruff: noqa: F821 (names from the notebook)

import numpy as np

PART = "manifold_interpolation"
MISTAKE = (
    "slerp divides by sin(omega) even when the codes are parallel, so parallel codes give NaN."
)


def slerp(z_a, z_b, t):
    a = np.asarray(z_a, np.float64)
    b = np.asarray(z_b, np.float64)
    cos = np.sum(a * b, -1, keepdims=True) / (
        np.linalg.norm(a, axis=-1, keepdims=True) * np.linalg.norm(b, axis=-1, keepdims=True)
    )
    omega = np.arccos(np.clip(cos, -1, 1))
    return ((np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)).astype(
        np.float32
    )
