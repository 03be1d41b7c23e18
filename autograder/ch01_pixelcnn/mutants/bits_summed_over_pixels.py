"""Summed over pixels instead of averaged."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim sums the cross-entropy over the pixels of each image instead of "
    "averaging it, so the result is not per dimension."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        nats = tf.nn.sigmoid_cross_entropy_with_logits(tf.cast(images, tf.float32), logits)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    per_image = tf.reduce_sum(tf.reshape(nats, (tf.shape(nats)[0], -1)), axis=1)
    return tf.reduce_mean(per_image) / math.log(2.0)
