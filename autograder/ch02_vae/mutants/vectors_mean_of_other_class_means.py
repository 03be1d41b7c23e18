"""The other images' mean taken as the plain mean of the other classes' means."""

# ruff: noqa: F821 (encode_means comes from the reference module this file runs on top of)
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "the mean code of the other images is taken as the plain mean of the other classes' means, "
    "which weighs a small class like a large one: average over the other images themselves."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    codes = encode_means(encoder, images, batch_size=batch_size).astype(np.float64)
    labels = np.asarray(labels).ravel()
    means = np.stack([codes[labels == c].mean(axis=0) for c in range(num_classes)])
    others = (means.sum(axis=0, keepdims=True) - means) / (num_classes - 1)
    return means - others
