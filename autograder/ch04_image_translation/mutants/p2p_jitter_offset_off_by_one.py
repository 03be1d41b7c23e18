"""The crop never reaches the last offset."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

IMAGE_SIZE = 32
JITTER_SIZE = 36

PART = "random_jitter"
MISTAKE = (
    "random_jitter draws the crop offset below JITTER_SIZE - IMAGE_SIZE (tf.random.uniform's "
    "maxval is excluded), so offset 4 never comes."
)
NAMED_BY = "both included"


def random_jitter(inputs, targets):
    channels = inputs.shape[-1]
    pair = tf.concat([inputs, targets], axis=-1)
    pair = tf.image.resize(pair, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    top, left = tf.unstack(tf.random.uniform([2], 0, JITTER_SIZE - IMAGE_SIZE, tf.int32))
    pair = pair[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]
    if tf.random.uniform(()) < 0.5:
        pair = tf.reverse(pair, axis=[2])
    return pair[..., :channels], pair[..., channels:]
