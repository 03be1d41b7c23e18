"""sample_prior returns the decoder's tensor as it is, not a NumPy array."""

import keras

PART = "generation"
MISTAKE = (
    "sample_prior returns the decoder's output tensor, not a NumPy array as the task asks "
    "(convert it with keras.ops.convert_to_numpy)."
)


def sample_prior(decoder, n, seed=0):
    z = keras.random.normal((n, decoder.input_shape[-1]), seed=seed)
    return decoder(z, training=False)
