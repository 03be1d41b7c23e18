"""A SeedGenerator made inside call(): every call starts from the same state."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "Every call of the layer draws the same noise, because its draws restart from the "
    "layer's seed each time (a SeedGenerator made in call(), or an integer seed given to "
    "keras.random.normal); create keras.random.SeedGenerator(seed) once in __init__ and "
    "pass seed=self.seed_generator."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed

    def call(self, inputs):
        mean, logvar = inputs
        generator = keras.random.SeedGenerator(self.seed)
        noise = keras.random.normal(keras.ops.shape(mean), dtype=self.compute_dtype, seed=generator)
        return mean + keras.ops.exp(0.5 * logvar) * noise
