"""A sigmoid applied to the logits before a loss that expects logits."""

import tensorflow as tf

PART = "generator_loss"
MISTAKE = (
    "A sigmoid is applied before a from-logits cross-entropy, so the sigmoid is applied twice; "
    "pass the logits themselves."
)


def generator_loss(fake_logits):
    probabilities = tf.sigmoid(fake_logits)
    return tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(probabilities), probabilities)
    )
