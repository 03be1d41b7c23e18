"""The critic trained with the GAN's cross-entropy on its scores instead of the raw scores."""

import tensorflow as tf

PART = "wasserstein_losses"
MISTAKE = (
    "The critic's loss is the GAN's cross-entropy on sigmoid(scores); the Wasserstein loss uses "
    "the raw scores, mean(fake) - mean(real), with no sigmoid or log."
)


def critic_loss(real_scores, fake_scores):
    real = tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(real_scores), real_scores)
    fake = tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(fake_scores), fake_scores)
    return tf.reduce_mean(real) + tf.reduce_mean(fake)
