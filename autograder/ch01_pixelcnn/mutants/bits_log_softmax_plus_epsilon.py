"""-log(p + epsilon) of softmax probabilities: finite, but capped and biased."""

import math

import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "bits_per_dim takes the log of sigmoid or softmax probabilities kept away from 0 (by an"
    " epsilon or a clip, as Keras's losses clip them without from_logits=True), which caps "
    "a confident wrong prediction at about 16 nats; compute the cross-entropy from the "
    "logits (log_softmax, or from_logits=True)."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    if logits.shape[-1] == 1:
        p = tf.sigmoid(logits)
        x = tf.cast(images, tf.float32)
        nats = -(x * tf.math.log(p + 1e-7) + (1.0 - x) * tf.math.log(1.0 - p + 1e-7))
    else:
        p = tf.nn.softmax(logits)
        picked = tf.gather(p, tf.cast(images, tf.int32), axis=-1, batch_dims=3)
        nats = -tf.math.log(picked + 1e-7)
    return tf.reduce_mean(nats) / math.log(2.0)
