"""Nats multiplied by ln 2 instead of divided by it."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim multiplies the cross-entropy in nats by ln 2 (or divides by log2(e)) instead "
    "of dividing it by ln 2."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        nats = tf.nn.sigmoid_cross_entropy_with_logits(tf.cast(images, tf.float32), logits)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    return tf.reduce_mean(nats) * math.log(2.0)
