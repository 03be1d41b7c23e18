"""The last partial batch taken as images[-(N % batch_size):], the whole set when N divides."""

import keras
import numpy as np

PART = "encode_means"
MISTAKE = (
    "encode_means takes the leftover images as images[-(N % batch_size):], which is the whole "
    "set when batch_size divides N (-0 is 0), so every code appears twice; step through the "
    "images with range(0, N, batch_size)."
)


def encode_means(encoder, images, batch_size=500):
    full = len(images) // batch_size * batch_size
    means = []
    for first in range(0, full, batch_size):
        mean, _logvar = encoder(images[first : first + batch_size], training=False)
        means.append(keras.ops.convert_to_numpy(mean))
    mean, _logvar = encoder(images[-(len(images) % batch_size) :], training=False)
    means.append(keras.ops.convert_to_numpy(mean))
    return np.concatenate(means)
