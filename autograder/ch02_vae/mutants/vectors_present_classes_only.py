"""attribute_vectors loops over the labels that occur (np.unique), not over range(num_classes)."""

# ruff: noqa: F821 (encode_means comes from the reference module this file runs on top of)
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "attribute_vectors loops over np.unique(labels) instead of range(num_classes), so a class "
    "without images loses its row and the rows after it move up."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    codes = encode_means(encoder, images, batch_size)
    labels = np.asarray(labels)
    return np.stack(
        [codes[labels == c].mean(0) - codes[labels != c].mean(0) for c in np.unique(labels)]
    )
