"""Reconstructions clipped from below only: a pixel of exactly 1 still gives log(0)."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "The reconstructions are kept away from 0 but not from 1 before the logarithms, so a "
    "pixel of exactly 1 makes log(1 - p) infinite; clip them to [1e-7, 1 - 1e-7]."
)


def vae_loss(images, reconstructions, mean, logvar):
    p = keras.ops.maximum(reconstructions, 1e-7)
    bce = -(images * keras.ops.log(p) + (1.0 - images) * keras.ops.log(1.0 - p))
    reconstruction = keras.ops.mean(keras.ops.sum(bce, axis=(1, 2, 3)))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
