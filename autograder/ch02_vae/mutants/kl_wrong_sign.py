"""The KL term with its sign flipped: training then pushes the encodings away from the prior."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "The KL term has the wrong sign: it returns minus the KL divergence, which is never "
    "positive, while the KL, -0.5 * sum(1 + logvar - mean^2 - exp(logvar)) = 0.5 * "
    "sum(exp(logvar) + mean^2 - 1 - logvar), is never negative."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - keras.ops.square(mean) - keras.ops.exp(logvar)
    return keras.ops.mean(0.5 * keras.ops.sum(per_dim, axis=-1))
