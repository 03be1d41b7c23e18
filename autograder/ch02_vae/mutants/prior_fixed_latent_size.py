"""The notebook's latent size written into sample_prior."""

import keras

PART = "generation"
MISTAKE = (
    "sample_prior draws codes of the notebook's latent size 16 instead of reading it from "
    "decoder.input_shape, so it fails for a decoder of any other latent size."
)
NAMED_BY = "it draws codes of the fixed size 16"


def sample_prior(decoder, n, seed=0):
    z = keras.random.normal((n, 16), seed=seed)
    return keras.ops.convert_to_numpy(decoder(z, training=False))
