"""The KL term with its sign flipped: training then pushes the encodings away from the prior."""

import keras

PART = "kl_divergence"
MISTAKE = "the KL term has the wrong sign (0.5 * sum(...) instead of -0.5 * sum(...))."


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - keras.ops.square(mean) - keras.ops.exp(logvar)
    return keras.ops.mean(0.5 * keras.ops.sum(per_dim, axis=-1))
