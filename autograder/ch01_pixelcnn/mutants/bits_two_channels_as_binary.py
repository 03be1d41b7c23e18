"""Two logit channels taken for the binary case."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim sends logits of 2 channels to the sigmoid branch (shape[-1] <= 2); only one "
    "channel is the binary case, and L = 2 channels are a softmax over two levels."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    if logits.shape[-1] <= 2:
        targets = tf.cast(images, tf.float32)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(targets, logits)
        return tf.reduce_mean(nats) / math.log(2.0)
    nats = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(images[..., 0], tf.int32), logits)
    return tf.reduce_mean(nats) / math.log(2.0)
