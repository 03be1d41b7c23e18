"""The noise is drawn once, when the layer is built, and reused on every call."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "the noise epsilon is drawn once in build() and reused on every call, so every training "
    "step sees the same noise; draw it in call()."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        mean_shape = input_shape[0]
        self.epsilon = keras.random.normal(
            (1, mean_shape[-1]), dtype=self.compute_dtype, seed=self.seed_generator
        )

    def call(self, inputs):
        mean, logvar = inputs
        return mean + keras.ops.exp(0.5 * logvar) * self.epsilon
