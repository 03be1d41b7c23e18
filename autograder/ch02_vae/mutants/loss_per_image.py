"""The reconstruction term of each image, not averaged over the batch: (B,) where a scalar is
asked, and so is the loss."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "vae_loss returns the reconstruction term of each image, shape (B,), instead of its mean "
    "over the batch, so the loss is not a scalar either."
)


def vae_loss(images, reconstructions, mean, logvar):
    p = keras.ops.clip(reconstructions, 1e-7, 1.0 - 1e-7)
    bce = -(images * keras.ops.log(p) + (1.0 - images) * keras.ops.log(1.0 - p))
    reconstruction = keras.ops.sum(bce, axis=tuple(range(1, len(bce.shape))))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
