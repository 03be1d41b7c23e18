"""The fake labels built with the real logits' shape: a crash when the batches differ."""

import tensorflow as tf

PART = "discriminator_loss"
MISTAKE = (
    "the labels of the generated images are built with zeros_like(real_logits), the real "
    "batch's shape, so batches of different sizes fail; build each term's labels from its own "
    "logits, zeros_like(fake_logits)."
)


def discriminator_loss(real_logits, fake_logits):
    real = tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(real_logits), real_logits)
    fake = tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(real_logits), fake_logits)
    return tf.reduce_mean(real) + tf.reduce_mean(fake)
