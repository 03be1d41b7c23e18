"""One noise vector shared by every image of the batch."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "the noise has the shape of one latent vector and is shared by every image of the batch; "
    "draw noise of the full shape of mean."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        eps = keras.random.normal(
            (1, keras.ops.shape(mean)[-1]), dtype=self.compute_dtype, seed=self.seed_generator
        )
        return mean + keras.ops.exp(0.5 * logvar) * eps
