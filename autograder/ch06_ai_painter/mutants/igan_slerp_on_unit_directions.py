"""slerp turns the unit directions of the codes and returns a unit vector, losing the codes'
norms.
"""

# ruff: noqa: F821 (names from the notebook)

import numpy as np

PART = "manifold_interpolation"
MISTAKE = (
    "slerp turns the unit directions of the codes and returns a unit vector, losing the "
    "codes' norms."
)


def slerp(z_a, z_b, t):
    a = np.asarray(z_a, np.float64)
    b = np.asarray(z_b, np.float64)
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    omega = np.arccos(np.clip(np.sum(a * b, axis=-1, keepdims=True), -1, 1))
    s = np.sin(omega)
    safe = np.where(s < 1e-6, 1.0, s)
    out = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / safe
    return np.where(s < 1e-6, (1 - t) * a + t * b, out).astype(np.float32)
