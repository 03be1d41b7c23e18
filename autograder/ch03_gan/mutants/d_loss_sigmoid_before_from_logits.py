"""A sigmoid applied to the logits before a loss that expects logits."""

import tensorflow as tf

PART = "discriminator_loss"
MISTAKE = (
    "A sigmoid is applied before a from-logits cross-entropy, so the sigmoid is applied twice; "
    "pass the logits themselves."
)


def discriminator_loss(real_logits, fake_logits):
    real = tf.sigmoid(real_logits)
    fake = tf.sigmoid(fake_logits)
    real_loss = tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(real), real)
    fake_loss = tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(fake), fake)
    return tf.reduce_mean(real_loss) + tf.reduce_mean(fake_loss)
