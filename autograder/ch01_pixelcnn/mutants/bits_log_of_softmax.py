"""The log of the softmax's probabilities, not a cross-entropy from the logits."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim becomes infinite for large logits because a step of it under- or "
    "overflows in float32 (the log of a softmax or sigmoid probability that rounds to 0, or"
    " the exp of a large logit); compute the cross-entropy from the logits "
    "(tf.nn.log_softmax, or a loss with from_logits=True)."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    if logits.shape[-1] == 1:
        p = tf.sigmoid(logits)
        x = tf.cast(images, tf.float32)
        nats = -(x * tf.math.log(p) + (1.0 - x) * tf.math.log(1.0 - p))
    else:
        p = tf.nn.softmax(logits)
        picked = tf.gather(p, tf.cast(images, tf.int32), axis=-1, batch_dims=3)
        nats = -tf.math.log(picked)
    return tf.reduce_mean(nats) / math.log(2.0)
