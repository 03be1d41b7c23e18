"""Input and target cropped at different offsets."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

IMAGE_SIZE = 32
JITTER_SIZE = 36

PART = "random_jitter"
MISTAKE = "random_jitter crops the input and the target at two different random offsets."
NAMED_BY = "moved the inputs and the targets differently"


def random_jitter(inputs, targets):
    def jitter(images):
        images = tf.image.resize(images, (JITTER_SIZE, JITTER_SIZE), method="nearest")
        top, left = tf.unstack(tf.random.uniform([2], 0, JITTER_SIZE - IMAGE_SIZE + 1, tf.int32))
        return images[:, top : top + IMAGE_SIZE, left : left + IMAGE_SIZE]

    inputs, targets = jitter(inputs), jitter(targets)
    if tf.random.uniform(()) < 0.5:
        inputs, targets = tf.reverse(inputs, axis=[2]), tf.reverse(targets, axis=[2])
    return inputs, targets
