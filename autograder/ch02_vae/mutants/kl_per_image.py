"""The KL of each image, not averaged over the batch: a (B,) tensor where a scalar is asked."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "kl_divergence returns one KL per image, shape (B,), instead of their mean over the batch "
    "(a scalar)."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - keras.ops.square(mean) - keras.ops.exp(logvar)
    return -0.5 * keras.ops.sum(per_dim, axis=-1)
