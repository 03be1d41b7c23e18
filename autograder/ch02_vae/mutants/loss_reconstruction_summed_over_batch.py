"""The reconstruction term summed over the batch while the KL is averaged over it."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "the reconstruction term is summed over the images of the batch while the KL is "
    "averaged, so their balance changes with the batch size."
)


def vae_loss(images, reconstructions, mean, logvar):
    p = keras.ops.clip(reconstructions, 1e-7, 1.0 - 1e-7)
    bce = -(images * keras.ops.log(p) + (1.0 - images) * keras.ops.log(1.0 - p))
    reconstruction = keras.ops.sum(bce)
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
