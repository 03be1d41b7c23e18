"""The KL term summed over the images of the batch instead of averaged."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "the KL term is summed over the images of the batch instead of averaged, so it grows "
    "with the batch size."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - keras.ops.square(mean) - keras.ops.exp(logvar)
    return -0.5 * keras.ops.sum(per_dim)
