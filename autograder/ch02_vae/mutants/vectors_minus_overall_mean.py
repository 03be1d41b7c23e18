"""The class mean minus the mean of all codes, instead of the mean of the other codes."""

# ruff: noqa: F821 (encode_means comes from the reference module this file runs on top of)
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "attribute_vectors subtracts the mean of all codes instead of the mean of the codes "
    "without the attribute, which shrinks every vector."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    codes = encode_means(encoder, images, batch_size)
    labels = np.asarray(labels)
    return np.stack([codes[labels == c].mean(0) - codes.mean(0) for c in range(num_classes)])
