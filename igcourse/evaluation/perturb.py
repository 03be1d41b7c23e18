"""Controlled degradations of real images, to check that the metrics respond as they should.

All take and return floats in [0, 1] of shape (N, 28, 28) and are deterministic given `seed`.
"""

import numpy as np


def gaussian_blur(images, sigma):
    """Blur each image with a Gaussian of standard deviation `sigma` pixels (0: unchanged)."""
    images = np.asarray(images, dtype=np.float32)
    if sigma <= 0:
        return images.copy()
    radius = max(1, int(np.ceil(3 * sigma)))
    taps = np.arange(-radius, radius + 1)
    kernel = np.exp(-(taps**2) / (2 * sigma**2))
    kernel /= kernel.sum()
    # separable: rows then columns, edges padded with their own value
    padded = np.pad(images, ((0, 0), (0, 0), (radius, radius)), mode="edge")
    rows = sum(w * padded[:, :, i : i + images.shape[2]] for i, w in enumerate(kernel))
    padded = np.pad(rows, ((0, 0), (radius, radius), (0, 0)), mode="edge")
    return sum(w * padded[:, i : i + images.shape[1], :] for i, w in enumerate(kernel)).astype(
        np.float32
    )


def gaussian_noise(images, std, seed=0):
    """Add pixel noise of standard deviation `std` and clip back to [0, 1]."""
    images = np.asarray(images, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0.0, std, images.shape).astype(np.float32)
    return np.clip(images + noise, 0.0, 1.0)


def brightness(images, factor):
    """Multiply every pixel by `factor`, clipped to [0, 1]."""
    return np.clip(np.asarray(images, dtype=np.float32) * factor, 0.0, 1.0)


def quantize(images, levels):
    """Round every pixel to one of `levels` evenly spaced grey levels."""
    images = np.asarray(images, dtype=np.float32)
    return np.round(images * (levels - 1)) / (levels - 1)
