"""The joined pair is split after one channel, whatever C is."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

IMAGE_SIZE = 32
JITTER_SIZE = 36

PART = "random_jitter"
MISTAKE = (
    "random_jitter splits the joined pair after channel 1 whatever the images' channels, so "
    "three-channel photos come back with 1 and 5 channels."
)
NAMED_BY = "not after a fixed number"


def random_jitter(inputs, targets):
    pair = tf.concat([inputs, targets], axis=-1)
    pair = tf.image.resize(pair, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    top, left = tf.unstack(tf.random.uniform([2], 0, JITTER_SIZE - IMAGE_SIZE + 1, tf.int32))
    pair = pair[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]
    if tf.random.uniform(()) < 0.5:
        pair = tf.reverse(pair, axis=[2])
    return pair[..., :1], pair[..., 1:]
