"""-log(sigmoid(l)) written by hand, which overflows for very negative logits."""

import tensorflow as tf

PART = "generator_loss"
MISTAKE = (
    "The loss, written out by hand, is infinite in float32 at very negative logits (the log"
    " of a sigmoid that rounds to 0, or an exp that overflows in log(1 + exp(-l))); use a "
    "from-logits cross-entropy."
)


def generator_loss(fake_logits):
    return -tf.reduce_mean(tf.math.log(tf.sigmoid(fake_logits)))
