"""The generator minimises mean(fake_scores), making its images look less real to the critic."""

import keras

PART = "wasserstein_losses"
MISTAKE = (
    "The generator's loss has the wrong sign: it should minimise -mean(fake_scores), raising "
    "the critic's scores of its images."
)


def wgan_generator_loss(fake_scores):
    return keras.ops.mean(fake_scores)
