"""Squared error instead of the Bernoulli negative log-likelihood."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "the reconstruction term is the squared error, not the binary cross-entropy that the "
    "decoder's Bernoulli likelihood gives."
)


def vae_loss(images, reconstructions, mean, logvar):
    squared = keras.ops.square(images - reconstructions)
    reconstruction = keras.ops.mean(
        keras.ops.sum(keras.ops.reshape(squared, (len(squared), -1)), -1)
    )
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
