"""encode_means runs the encoder in training mode."""

import keras
import numpy as np

PART = "encode_means"
MISTAKE = (
    "encode_means calls the encoder with training=True; encoding a dataset is inference, so "
    "an encoder with dropout or batch normalisation would give other codes than its means."
)
NAMED_BY = "called the encoder with training=True"


def encode_means(encoder, images, batch_size=500):
    chunks = [
        keras.ops.convert_to_numpy(encoder(images[i : i + batch_size], training=True)[0])
        for i in range(0, len(images), batch_size)
    ]
    return np.concatenate(chunks, axis=0)
