"""The walk runs from image_b to image_a."""

import keras
import numpy as np

PART = "generation"
MISTAKE = (
    "interpolate decodes t * mean_a + (1 - t) * mean_b, so the walk runs from image_b to "
    "image_a: the first image should decode image_a's code."
)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    mean, _logvar = encoder(np.stack([image_a, image_b]), training=False)
    mean = keras.ops.convert_to_numpy(mean)
    t = np.linspace(0, 1, steps, dtype="float32")[:, None]
    return keras.ops.convert_to_numpy(decoder(t * mean[0] + (1.0 - t) * mean[1], training=False))
