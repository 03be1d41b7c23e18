"""The flip reverses the channels."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

IMAGE_SIZE = 32
JITTER_SIZE = 36

PART = "random_jitter"
MISTAKE = (
    "random_jitter flips the joined pair along its channel axis, which swaps the input and "
    "the target, instead of left to right."
)
NAMED_BY = "returned the targets as the inputs"


def random_jitter(inputs, targets):
    channels = inputs.shape[-1]
    pair = tf.concat([inputs, targets], axis=-1)
    pair = tf.image.resize(pair, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    top, left = tf.unstack(tf.random.uniform([2], 0, JITTER_SIZE - IMAGE_SIZE + 1, tf.int32))
    pair = pair[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]
    if tf.random.uniform(()) < 0.5:
        pair = tf.reverse(pair, axis=[3])
    return pair[..., :channels], pair[..., channels:]
