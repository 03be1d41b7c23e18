"""log(sigmoid(l) + 1e-8): no overflow, but the gradient vanishes for very negative logits."""

import tensorflow as tf

PART = "generator_loss"
MISTAKE = (
    "The loss takes log(sigmoid(l) + epsilon) by hand: the epsilon caps the loss and stops the "
    "gradient for very negative logits; use a from-logits cross-entropy."
)


def generator_loss(fake_logits):
    return -tf.reduce_mean(tf.math.log(tf.sigmoid(fake_logits) + 1e-8))
