"""t runs from 0 to (steps - 1) / steps: the last image is not image_b's code."""

import keras
import numpy as np

PART = "generation"
MISTAKE = (
    "interpolate uses t = i / steps, so the last decoded code is not image_b's; use "
    "np.linspace(0, 1, steps) to include both ends."
)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    mean, _logvar = encoder(np.stack([image_a, image_b]), training=False)
    mean = keras.ops.convert_to_numpy(mean)
    t = (np.arange(steps, dtype="float32") / steps)[:, None]
    return keras.ops.convert_to_numpy(decoder((1.0 - t) * mean[0] + t * mean[1], training=False))
