"""kl_divergence with np.exp on logvar, the rest in keras.ops: the value is right and a tensor
comes back, but exp(logvar) is a constant to the tape, so the gradient with respect to logvar
lacks its exp(logvar) / 2 term."""

import keras
import numpy as np

PART = "kl_divergence"
MISTAKE = (
    "kl_divergence takes exp(logvar) with np.exp, which gives a NumPy array that the tape sees "
    "as a constant: the value is right, but the gradient with respect to logvar misses the "
    "exp(logvar) term."
)


def kl_divergence(mean, logvar):
    per_dim = 1.0 + logvar - keras.ops.square(mean) - np.exp(logvar)
    return keras.ops.mean(-0.5 * keras.ops.sum(per_dim, axis=-1))
