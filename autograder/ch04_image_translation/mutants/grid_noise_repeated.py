"""The grid's noise is repeated instead of tiled."""

import numpy as np

PART = "class_grid"
MISTAKE = (
    "class_grid repeats each noise vector num_classes times instead of tiling the C vectors, "
    "so a row does not use z[0], ..., z[C-1] in turn; image c * C + j must be drawn from "
    "z[j]."
)


def class_grid(generator, z, num_classes=10):
    z = np.asarray(z, np.float32)
    columns = len(z)
    labels = np.repeat(np.arange(num_classes, dtype=np.int32), columns)  # 0 0 0 1 1 1 ...
    noise = np.repeat(z, num_classes, axis=0)  # z[0] z[1] z[2] z[0] z[1] z[2] ...
    return np.asarray(generator([noise, labels], training=False))
