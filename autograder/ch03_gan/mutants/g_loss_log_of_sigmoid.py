"""-log(sigmoid(l)) written by hand, which overflows for very negative logits."""

import tensorflow as tf

PART = "generator_loss"
MISTAKE = (
    "The loss takes log(sigmoid(l)) by hand, which is -inf in float32 for very negative "
    "logits; use a from-logits cross-entropy."
)


def generator_loss(fake_logits):
    return -tf.reduce_mean(tf.math.log(tf.sigmoid(fake_logits)))
