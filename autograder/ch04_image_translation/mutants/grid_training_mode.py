"""The grid is drawn in training mode."""

import numpy as np

PART = "class_grid"
MISTAKE = (
    "class_grid calls the generator with training=True, so batch normalisation uses the "
    "grid's own statistics instead of the moving averages learned in training; draw with "
    "training=False."
)


def class_grid(generator, z, num_classes=10):
    z = np.asarray(z, np.float32)
    columns = len(z)
    labels = np.repeat(np.arange(num_classes, dtype=np.int32), columns)  # 0 0 0 1 1 1 ...
    noise = np.tile(z, (num_classes, 1))  # z[0] z[1] z[2] z[0] z[1] z[2] ...
    return np.asarray(generator([noise, labels], training=True))
