"""np.random instead of the rng argument."""

import numpy as np

PART = "mix_pixels"
MISTAKE = (
    "mix_pixels draws from np.random instead of the rng it is given, so results cannot "
    "be reproduced."
)


def mix_pixels(images, n, rng):
    images = np.asarray(images)
    count, height, width = images.shape[:3]
    source = np.random.randint(0, count, size=(n, height, width))
    rows, cols = np.indices((height, width))
    return images[source, rows, cols]
