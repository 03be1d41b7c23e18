"""The book's KL: a mean over the latent dimensions as well as over the batch."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "the KL term is averaged over the latent dimensions instead of summed (as in the book's "
    "notebook), which divides it by the latent size."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - keras.ops.square(mean) - keras.ops.exp(logvar)
    return -0.5 * keras.ops.mean(per_dim)
