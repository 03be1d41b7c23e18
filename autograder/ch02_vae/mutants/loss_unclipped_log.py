"""Logarithms of unclipped reconstructions: exactly 0 or 1 gives an infinite loss."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "the reconstructions are not clipped before the logarithms, so a pixel of exactly 0 or 1 "
    "makes the loss infinite or NaN."
)


def vae_loss(images, reconstructions, mean, logvar):
    p = reconstructions
    bce = -(images * keras.ops.log(p) + (1.0 - images) * keras.ops.log(1.0 - p))
    reconstruction = keras.ops.mean(keras.ops.sum(bce, axis=tuple(range(1, len(bce.shape)))))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
