"""Without minus with: every attribute vector points the wrong way."""

# ruff: noqa: F821 (encode_means comes from the reference module this file runs on top of)
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "attribute_vectors subtracts the other way round (without minus with), so every vector "
    "points away from its attribute."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    codes = encode_means(encoder, images, batch_size)
    labels = np.asarray(labels)
    return np.stack(
        [codes[labels != c].mean(0) - codes[labels == c].mean(0) for c in range(num_classes)]
    )
