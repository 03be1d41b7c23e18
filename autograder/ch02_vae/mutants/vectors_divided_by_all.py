"""The other images' codes summed and divided by the number of all images."""

# ruff: noqa: F821 (encode_means comes from the reference module this file runs on top of)
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "the mean of the other codes is their sum divided by the number of ALL images instead of "
    "the number of other images."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    codes = encode_means(encoder, images, batch_size)
    labels = np.asarray(labels)
    return np.stack(
        [
            codes[labels == c].mean(0) - codes[labels != c].sum(0) / len(codes)
            for c in range(num_classes)
        ]
    )
