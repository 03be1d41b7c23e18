"""Noise from TensorFlow's global generator: fresh, but the seed is ignored."""

import keras
import tensorflow as tf

PART = "sampling_layer"
MISTAKE = (
    "The noise is drawn without the layer's seed generator, from a global random generator,"
    " so the seed is ignored and runs cannot be repeated; pass seed=self.seed_generator to "
    "keras.random.normal."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        eps = tf.random.normal(tf.shape(mean), dtype=self.compute_dtype)
        return mean + keras.ops.exp(0.5 * logvar) * eps
