"""The batch slice ends at batch_size instead of start + batch_size."""

import keras
import numpy as np

PART = "encode_means"
MISTAKE = (
    "each batch is sliced as images[start:batch_size] instead of "
    "images[start:start + batch_size], so only the first batch is encoded and the later slices "
    "are empty."
)


def encode_means(encoder, images, batch_size=500):
    means = []
    for start in range(0, len(images), batch_size):
        batch = images[start:batch_size]
        if len(batch):
            means.append(keras.ops.convert_to_numpy(encoder(batch)[0]))
    return np.concatenate(means)
