"""The seed sets Keras' global generator; epsilon is then drawn without a seed of its own."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = (
    "sample_from_statistics calls keras.utils.set_random_seed(seed) and then draws epsilon "
    "without a seed, which changes the global generators as a side effect and draws other "
    "numbers than keras.random.normal((n, D), seed=seed)."
)


def sample_from_statistics(decoder, mean, std, n, seed=0):
    mean = np.asarray(mean, dtype="float32")
    std = np.asarray(std, dtype="float32")
    keras.utils.set_random_seed(seed)
    epsilon = keras.ops.convert_to_numpy(keras.random.normal((n, len(mean))))
    return keras.ops.convert_to_numpy(decoder(mean + std * epsilon, training=False))
