"""sigma computed as 0.5 * exp(logvar): the half outside the exponential."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "the standard deviation is computed as 0.5 * exp(logvar), with the 1/2 outside the "
    "exponential; sigma = exp(0.5 * logvar)."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        noise = keras.random.normal(
            keras.ops.shape(mean), dtype=self.compute_dtype, seed=self.seed_generator
        )
        return mean + 0.5 * keras.ops.exp(logvar) * noise
