"""The KL's textbook form with the variance: log(exp(logvar)) where logvar itself belongs."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "the KL takes the log of the variance exp(logvar) where logvar itself belongs: for a very "
    "certain encoder exp(logvar) underflows to 0 in float32 and log(0) = -inf makes the KL "
    "infinite; use logvar as it is."
)


def kl_divergence(mean, logvar):
    variance = keras.ops.exp(logvar)
    per_dim = variance + keras.ops.square(mean) - 1.0 - keras.ops.log(variance)
    return keras.ops.mean(0.5 * keras.ops.sum(per_dim, axis=-1))
