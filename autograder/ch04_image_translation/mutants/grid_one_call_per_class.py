"""The grid calls the generator once per class."""

import numpy as np

PART = "class_grid"
MISTAKE = "class_grid calls the generator once per class instead of once on the whole batch."
NAMED_BY = "called the generator"


def class_grid(generator, z, num_classes=10):
    z = np.asarray(z, np.float32)
    columns = len(z)
    rows = [
        np.asarray(generator([z, np.full(columns, c, np.int32)], training=False))
        for c in range(num_classes)
    ]
    return np.concatenate(rows)
