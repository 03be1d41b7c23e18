"""attribute_vectors encodes every image in one call of the encoder, ignoring batch_size."""

import keras
import numpy as np

PART = "attribute_vectors"
MISTAKE = (
    "attribute_vectors ignores batch_size and encodes every image in one call of the encoder "
    "instead of encoding in batches with encode_means."
)


def attribute_vectors(encoder, images, labels, num_classes, batch_size=500):
    mean, _logvar = encoder(images, training=False)
    codes = keras.ops.convert_to_numpy(mean)
    labels = np.asarray(labels)
    return np.stack(
        [codes[labels == c].mean(0) - codes[labels != c].mean(0) for c in range(num_classes)]
    )
