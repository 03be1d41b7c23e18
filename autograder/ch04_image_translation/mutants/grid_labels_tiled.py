"""The grid's labels cycle fastest: each row holds every class."""

import numpy as np

PART = "class_grid"
MISTAKE = (
    "class_grid tiles the labels and repeats the noise, so the class changes from image to "
    "image and each row shows every class; image c * C + j must have label c (np.repeat the "
    "labels, np.tile the noise)."
)


def class_grid(generator, z, num_classes=10):
    z = np.asarray(z, np.float32)
    columns = len(z)
    labels = np.tile(np.arange(num_classes, dtype=np.int32), columns)  # 0 0 0 1 1 1 ...
    noise = np.repeat(z, num_classes, axis=0)  # z[0] z[1] z[2] z[0] z[1] z[2] ...
    return np.asarray(generator([noise, labels], training=False))
