"""The critic minimises mean(real) - mean(fake): it learns to score fakes higher."""

import keras

PART = "wasserstein_losses"
MISTAKE = (
    "The critic's loss has the wrong sign: the critic minimises mean(fake) - mean(real), so "
    "that real images get higher scores."
)


def critic_loss(real_scores, fake_scores):
    return keras.ops.mean(real_scores) - keras.ops.mean(fake_scores)
