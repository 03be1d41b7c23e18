"""project makes a new projection step, and so a new Adam optimizer, at every iteration, so Adam's
moments start again from zero at each step.
"""

# ruff: noqa: F821 (names from the notebook)

import keras
import tensorflow as tf

PART = "projection"
MISTAKE = (
    "project makes a new projection step, and so a new Adam optimizer, at every iteration, so "
    "Adam's moments start again from zero at each step."
)


def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    z = tf.Variable(encoder(targets))
    targets, masks = tf.constant(targets, tf.float32), tf.constant(masks, tf.float32)
    losses = []
    for _ in range(steps):
        step = make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight)
        losses.append(float(step(z, targets, masks)))
    return z.numpy(), losses
