"""The second output of the encoder (logvar) taken for the mean."""

import keras
import numpy as np

PART = "encode_means"
MISTAKE = "encode_means keeps the encoder's second output (logvar) instead of the mean."


def encode_means(encoder, images, batch_size=500):
    out = []
    for first in range(0, len(images), batch_size):
        _mean, logvar = encoder(images[first : first + batch_size], training=False)
        out.append(keras.ops.convert_to_numpy(logvar))
    return np.concatenate(out)
