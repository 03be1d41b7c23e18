"""The KL written for log sigma while the encoder predicts log sigma^2."""

import keras

PART = "kl_divergence"
MISTAKE = (
    "the KL term treats logvar as log(sigma) (it uses exp(2 * logvar) and 2 * logvar), but "
    "logvar is log(sigma^2)."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + 2.0 * logvar - keras.ops.square(mean) - keras.ops.exp(2.0 * logvar)
    return keras.ops.mean(-0.5 * keras.ops.sum(per_dim, axis=-1))
