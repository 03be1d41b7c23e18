"""Interpolation between sampled codes instead of the two means."""

# ruff: noqa: F821 (GaussianSampling comes from the reference module this file runs on top of)
import keras
import numpy as np

PART = "generation"
NAMED_BY = "it walks between sampled codes (mean + noise)"
MISTAKE = (
    "interpolate walks between codes sampled with the reparameterisation noise (the sampling "
    "layer's output), not between the encoder's two means."
)


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    pair = np.stack([image_a, image_b]).astype("float32")
    codes = keras.ops.convert_to_numpy(GaussianSampling()(encoder(pair, training=False)))
    t = np.linspace(0.0, 1.0, steps, dtype="float32")[:, None]
    return keras.ops.convert_to_numpy(decoder((1 - t) * codes[0] + t * codes[1]))
