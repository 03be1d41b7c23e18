"""One mean over both batches of scores, each with a +1 or -1 label."""

import keras

PART = "wasserstein_losses"
MISTAKE = (
    "critic_loss takes one mean over the real and the fake scores together (labels +1 and -1), "
    "which halves the loss when the batches are equal and weighs them by their sizes: subtract "
    "the mean of the real scores from the mean of the fake ones."
)


def critic_loss(real_scores, fake_scores):
    real = keras.ops.reshape(real_scores, (-1,))
    fake = keras.ops.reshape(fake_scores, (-1,))
    return keras.ops.mean(keras.ops.concatenate([-real, fake]))
