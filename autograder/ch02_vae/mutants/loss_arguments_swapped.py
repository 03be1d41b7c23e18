"""keras.ops.binary_crossentropy(target, output) called with the images and the
reconstructions the wrong way round."""

# ruff: noqa: F821 (kl_divergence comes from the reference module this file runs on top of)
import keras

PART = "vae_loss"
MISTAKE = (
    "the cross-entropy has its two arguments swapped: the images are taken as the predicted "
    "probabilities and the reconstructions as the targets."
)


def vae_loss(images, reconstructions, mean, logvar):
    bce = keras.ops.binary_crossentropy(reconstructions, images)  # (target, output) swapped
    reconstruction = keras.ops.mean(keras.ops.sum(bce, axis=tuple(range(1, len(bce.shape)))))
    kl = kl_divergence(mean, logvar)
    return reconstruction + kl, reconstruction, kl
