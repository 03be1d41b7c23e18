"""The standard deviation exp(0.5 * logvar) written where the variance belongs."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "the KL divergence uses exp(0.5 * logvar), the standard deviation, where the variance "
    "exp(logvar) belongs."
)


def kl_divergence(mean, logvar):
    per_dim = keras.ops.exp(0.5 * logvar) + keras.ops.square(mean) - 1.0 - logvar
    return keras.ops.mean(0.5 * keras.ops.sum(per_dim, axis=-1))
