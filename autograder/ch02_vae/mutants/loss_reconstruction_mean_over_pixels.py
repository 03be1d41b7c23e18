"""The reconstruction term averaged over pixels, next to a KL summed over dimensions."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "the reconstruction term is averaged over the pixels (like keras.losses.binary_crossentropy) "
    "while the KL is summed over latent dimensions, so the KL term dominates and the "
    "encodings collapse onto the prior."
)


def vae_loss(images, reconstructions, mean, logvar):
    p = keras.ops.clip(reconstructions, 1e-7, 1.0 - 1e-7)
    bce = -(images * keras.ops.log(p) + (1.0 - images) * keras.ops.log(1.0 - p))
    reconstruction = keras.ops.mean(bce)
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
