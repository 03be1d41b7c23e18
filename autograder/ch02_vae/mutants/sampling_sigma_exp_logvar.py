"""The standard deviation is taken as exp(logvar) instead of exp(0.5 * logvar)."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "the layer scales the noise by exp(logvar), the variance, instead of the standard "
    "deviation exp(0.5 * logvar)."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        eps = keras.random.normal(
            keras.ops.shape(mean), dtype=self.compute_dtype, seed=self.seed_generator
        )
        return mean + keras.ops.exp(logvar) * eps
