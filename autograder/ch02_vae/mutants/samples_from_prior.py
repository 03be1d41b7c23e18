"""The statistics ignored: codes from the standard normal prior."""

import keras
import numpy as np

PART = "sample_from_statistics"
MISTAKE = "sample_from_statistics ignores mean and std and draws the codes from the prior N(0, I)."


def sample_from_statistics(decoder, mean, std, n, seed=0):
    eps = keras.random.normal((n, len(np.asarray(mean))), seed=seed)
    return keras.ops.convert_to_numpy(decoder(eps, training=False))
