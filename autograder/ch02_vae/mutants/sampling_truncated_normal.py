"""Noise from a truncated normal, which Keras uses for initialisers."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "GaussianSampling draws epsilon with keras.random.truncated_normal, which cuts the draws at "
    "two standard deviations, instead of a standard normal."
)
NAMED_BY = "that is a truncated normal"


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        noise = keras.random.truncated_normal(
            keras.ops.shape(mean), dtype=self.compute_dtype, seed=self.seed_generator
        )
        return mean + keras.ops.exp(0.5 * logvar) * noise
