"""Keras' categorical cross-entropy left at its default, from_logits=False."""

import keras
import tensorflow as tf

PART = "bits_per_dim"
MISTAKE = (
    "the cross-entropy is called without from_logits=True, so the logits are read as "
    "probabilities (normalised and clipped) instead of going through a softmax or sigmoid."
)


def bits_per_dim(images, logits):
    logits = tf.cast(logits, tf.float32)
    images = tf.convert_to_tensor(images)
    if logits.shape[-1] == 1:
        nats = keras.losses.binary_crossentropy(tf.cast(images, tf.float32), logits)
    else:
        labels = tf.cast(images[..., 0], tf.int32)
        nats = keras.losses.sparse_categorical_crossentropy(labels, logits)
    return tf.reduce_mean(nats) / tf.math.log(2.0)
