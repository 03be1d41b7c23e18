"""The cross-entropy written by hand as log(sigmoid(l)), which overflows at large logits."""

import tensorflow as tf

PART = "discriminator_loss"
MISTAKE = (
    "The cross-entropy, written out by hand, is infinite in float32 at large logits (the "
    "log of a sigmoid that rounds to 0, or an exp that overflows in log(1 + exp(l))); use a"
    " from-logits cross-entropy."
)


def discriminator_loss(real_logits, fake_logits):
    real_loss = -tf.math.log(tf.sigmoid(real_logits))
    fake_loss = -tf.math.log(1.0 - tf.sigmoid(fake_logits))
    return tf.reduce_mean(real_loss) + tf.reduce_mean(fake_loss)
