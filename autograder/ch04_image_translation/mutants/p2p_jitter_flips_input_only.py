"""Only the input is flipped."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

IMAGE_SIZE = 32
JITTER_SIZE = 36

PART = "random_jitter"
MISTAKE = "random_jitter flips the input but not the target."
NAMED_BY = "moved the inputs and the targets differently"


def random_jitter(inputs, targets):
    channels = inputs.shape[-1]
    pair = tf.concat([inputs, targets], axis=-1)
    pair = tf.image.resize(pair, (JITTER_SIZE, JITTER_SIZE), method="nearest")
    top, left = tf.unstack(tf.random.uniform([2], 0, JITTER_SIZE - IMAGE_SIZE + 1, tf.int32))
    pair = pair[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]
    inputs, targets = pair[..., :channels], pair[..., channels:]
    if tf.random.uniform(()) < 0.5:
        inputs = tf.reverse(inputs, axis=[2])
    return inputs, targets
