"""No flip."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

IMAGE_SIZE = 32
JITTER_SIZE = 36

PART = "random_jitter"
MISTAKE = "random_jitter never flips the pair."
NAMED_BY = "flip left to right with probability 1/2"


def random_jitter(inputs, targets):
    channels = inputs.shape[-1]
    pair = tf.concat([inputs, targets], axis=-1)
    pair = tf.image.resize(pair, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    top, left = tf.unstack(tf.random.uniform([2], 0, JITTER_SIZE - IMAGE_SIZE + 1, tf.int32))
    pair = pair[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]
    return pair[..., :channels], pair[..., channels:]
