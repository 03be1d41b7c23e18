"""The book's bug: the attribute vectors come from the first batch only."""

# ruff: noqa: F821 (encode_means comes from the reference module this file runs on top of)
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "attribute_vectors uses the first batch only (the book's code reads the first batch "
    "again on every step), so a few hundred images decide the vectors."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    codes = encode_means(encoder, images[:batch_size], batch_size)
    labels = np.asarray(labels)[:batch_size]
    return np.stack(
        [codes[labels == c].mean(0) - codes[labels != c].mean(0) for c in range(num_classes)]
    )
