"""slerp swaps the ends: t = 0 gives z_b and t = 1 gives z_a."""

# ruff: noqa: F821 (names from the notebook)

import numpy as np

PART = "manifold_interpolation"
MISTAKE = "slerp swaps the ends: t = 0 gives z_b and t = 1 gives z_a."


def slerp(z_a, z_b, t):
    a = np.asarray(z_b, np.float64)
    b = np.asarray(z_a, np.float64)
    cos = np.sum(a * b, -1, keepdims=True) / (
        np.linalg.norm(a, axis=-1, keepdims=True) * np.linalg.norm(b, axis=-1, keepdims=True)
    )
    omega = np.arccos(np.clip(cos, -1, 1))
    s = np.sin(omega)
    safe = np.where(s < 1e-6, 1.0, s)
    out = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / safe
    return np.where(s < 1e-6, (1 - t) * a + t * b, out).astype(np.float32)
