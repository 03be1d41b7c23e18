"""Epsilon drawn with NumPy: inside a tf.function it is drawn once, at tracing."""

import keras
import numpy as np

PART = "sampling_layer"
MISTAKE = (
    "the noise epsilon is drawn with NumPy, so inside a tf.function (the training step) it is "
    "drawn once when the function is traced and every step reuses it; draw it with "
    "keras.random.normal and the layer's SeedGenerator."
)
NAMED_BY = "the noise was drawn when TensorFlow traced the function"


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rng = np.random.default_rng(seed)

    def call(self, inputs):
        mean, logvar = inputs
        epsilon = self.rng.standard_normal(tuple(mean.shape)).astype(self.compute_dtype)
        return mean + keras.ops.exp(0.5 * logvar) * epsilon
