"""Attribute vectors computed per batch, then averaged over the batches."""

import keras
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "attribute_vectors computes each class's vector within every batch and averages those "
    "over the batches (nan where a batch lacks a class, and small batches weigh as much as "
    "full ones); take the means over all images at once."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    labels = np.asarray(labels)
    per_batch = []
    for first in range(0, len(images), batch_size):
        mean, _logvar = encoder(images[first : first + batch_size], training=False)
        codes = keras.ops.convert_to_numpy(mean).astype(np.float64)
        batch_labels = labels[first : first + batch_size]
        with np.errstate(invalid="ignore"):
            per_batch.append(
                [
                    codes[batch_labels == c].mean(axis=0) - codes[batch_labels != c].mean(axis=0)
                    for c in range(num_classes)
                ]
            )
    return np.mean(np.array(per_batch), axis=0)
