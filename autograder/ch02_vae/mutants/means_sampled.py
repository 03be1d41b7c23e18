"""Codes sampled with the noise of the reparameterisation instead of the means."""

import keras
import numpy as np

PART = "encode_means"
MISTAKE = (
    "encode_means returns sampled codes mean + exp(0.5 * logvar) * epsilon, which adds noise "
    "to every statistic; use the means."
)


def encode_means(encoder, images, batch_size=500):
    out = []
    for first in range(0, len(images), batch_size):
        mean, logvar = encoder(images[first : first + batch_size], training=False)
        eps = keras.random.normal(keras.ops.shape(mean), seed=first)
        out.append(keras.ops.convert_to_numpy(mean + keras.ops.exp(0.5 * logvar) * eps))
    return np.concatenate(out)
