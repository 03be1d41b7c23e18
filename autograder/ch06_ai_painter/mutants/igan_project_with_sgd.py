"""project optimises z with SGD instead of Adam."""

# ruff: noqa: F821 (names from the notebook)

import keras
import tensorflow as tf

PART = "projection"
MISTAKE = "project optimises z with SGD instead of Adam."


def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    z = tf.Variable(encoder(targets))
    step = make_projection_step(generator, keras.optimizers.SGD(rate), prior_weight)
    targets, masks = tf.constant(targets, tf.float32), tf.constant(masks, tf.float32)
    losses = [float(step(z, targets, masks)) for _ in range(steps)]
    return z.numpy(), losses
