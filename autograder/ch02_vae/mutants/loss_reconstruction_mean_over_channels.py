"""The cross-entropy summed over height and width, then averaged over the channels."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "the reconstruction sums the cross-entropy over height and width only and averages it over "
    "the channels, so for images with C channels it is C times too small: sum over every value "
    "of an image, channels included."
)


def vae_loss(images, reconstructions, mean, logvar):
    p = keras.ops.clip(reconstructions, 1e-7, 1.0 - 1e-7)
    bce = -(images * keras.ops.log(p) + (1.0 - images) * keras.ops.log(1.0 - p))
    reconstruction = keras.ops.mean(keras.ops.sum(bce, axis=(1, 2)))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
