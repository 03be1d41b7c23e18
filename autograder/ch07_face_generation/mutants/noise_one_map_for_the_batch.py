"""NoiseInjection draws one noise map for the whole batch instead of one per sample."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "noise_injection"
MISTAKE = "NoiseInjection draws one noise map for the whole batch instead of one per sample."
NAMED_BY = "both samples of the batch got the same noise map"


class NoiseInjection(keras.layers.Layer):
    # noise_layer(x, noise=None): x + strength * noise, one (B, H, W, 1) map shared by the
    # channels; strength (C,) starts at zero; a fresh map is drawn when none is given

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape):
        self.strength = self.add_weight(
            shape=(input_shape[-1],), initializer="zeros", name="strength"
        )

    def call(self, x, noise=None):
        if noise is None:
            shape = keras.ops.shape(x)
            noise = keras.random.normal((1, shape[1], shape[2], 1), seed=self.seed_generator)
        return x + self.strength * noise
