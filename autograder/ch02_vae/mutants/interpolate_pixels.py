"""Interpolation in pixel space: a cross-fade of the two images, then encoded and decoded."""

import keras
import numpy as np

PART = "generation"
MISTAKE = (
    "interpolate mixes the pixels of the two images and passes the mixtures through the "
    "model, instead of decoding points on the line between their codes."
)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    t = np.linspace(0.0, 1.0, steps, dtype="float32")[:, None, None, None]
    mixed = (1.0 - t) * image_a[None] + t * image_b[None]
    mean, _logvar = encoder(mixed, training=False)
    return keras.ops.convert_to_numpy(decoder(mean, training=False))
