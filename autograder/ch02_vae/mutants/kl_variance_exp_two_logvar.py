"""The variance taken as exp(2 * logvar), as if logvar were log sigma."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "the variance is written exp(2 * logvar), as if logvar were log sigma; logvar is the log "
    "of the variance itself, so the variance is exp(logvar)."
)


def kl_divergence(mean, logvar):
    per_dim = keras.ops.exp(2.0 * logvar) + keras.ops.square(mean) - 1.0 - logvar
    return keras.ops.mean(0.5 * keras.ops.sum(per_dim, axis=-1))
