"""Codes drawn from a uniform distribution instead of the standard normal prior."""

import keras

PART = "generation"
MISTAKE = (
    "sample_prior draws the codes from a uniform distribution on [0, 1) instead of the "
    "standard normal prior N(0, I)."
)


def sample_prior(decoder, n, seed=0):
    z = keras.random.uniform((n, decoder.input_shape[-1]), seed=seed)
    return keras.ops.convert_to_numpy(decoder(z, training=False))
