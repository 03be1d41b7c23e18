"""The cross-entropy written by hand as log(sigmoid(l)), which overflows at large logits."""

import tensorflow as tf

PART = "discriminator_loss"
MISTAKE = (
    "The loss takes log(sigmoid(l)) by hand, which is -inf in float32 for large logits; use "
    "a from-logits cross-entropy."
)


def discriminator_loss(real_logits, fake_logits):
    real_loss = -tf.math.log(tf.sigmoid(real_logits))
    fake_loss = -tf.math.log(1.0 - tf.sigmoid(fake_logits))
    return tf.reduce_mean(real_loss) + tf.reduce_mean(fake_loss)
