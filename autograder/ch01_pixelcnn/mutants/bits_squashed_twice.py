"""A sigmoid (softmax) before a loss that expects logits."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim applies a sigmoid (or softmax) to the logits and then a loss that expects "
    "logits, so the values are squashed twice."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        probs = tf.sigmoid(logits)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(tf.cast(images, tf.float32), probs)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, tf.nn.softmax(logits))
    return tf.reduce_mean(nats) / math.log(2.0)
