"""The noise is drawn in float32 whatever the layer's dtype policy; keras.ops promotes the sum."""

import keras

PART = "sampling_layer"
MISTAKE = (
    "the noise epsilon is drawn in float32 whatever the layer's dtype, so z comes out in "
    "float32 instead of the layer's compute dtype (float16 under mixed precision); draw it with "
    "dtype=mean.dtype (or self.compute_dtype)."
)


class GaussianSampling(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, logvar = inputs
        epsilon = keras.random.normal(keras.ops.shape(mean), seed=self.seed_generator)
        return keras.ops.add(mean, keras.ops.multiply(keras.ops.exp(0.5 * logvar), epsilon))
