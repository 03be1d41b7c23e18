"""The one-hot targets have a fixed depth of 4 (the extension's levels), not the logits' L."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim one-hot encodes the images with a fixed number of levels (4) instead of the "
    "number of logit channels L, so it is only right when L happens to be 4; take the depth "
    "from logits.shape[-1], or use a sparse cross-entropy on the integer images."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    if logits.shape[-1] == 1:
        targets = tf.cast(images, tf.float32)
        nats = tf.nn.sigmoid_cross_entropy_with_logits(targets, logits)
        return tf.reduce_mean(nats) / math.log(2.0)
    targets = tf.one_hot(tf.cast(images[..., 0], tf.int32), depth=4)
    nats = tf.nn.softmax_cross_entropy_with_logits(targets, logits)
    return tf.reduce_mean(nats) / math.log(2.0)
