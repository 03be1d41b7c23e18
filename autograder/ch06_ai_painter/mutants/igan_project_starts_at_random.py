"""project starts z from N(0, I) instead of the encoder's guess."""

# ruff: noqa: F821 (names from the notebook)

import keras
import tensorflow as tf
from keras import ops

PART = "projection"
MISTAKE = "project starts z from N(0, I) instead of the encoder's guess."


def project(generator, encoder, targets, masks, steps=100, rate=0.05, prior_weight=0.01):
    z = tf.Variable(keras.random.normal(ops.shape(encoder(targets)), seed=1))
    step = make_projection_step(generator, keras.optimizers.Adam(rate), prior_weight)
    targets, masks = tf.constant(targets, tf.float32), tf.constant(masks, tf.float32)
    losses = [float(step(z, targets, masks)) for _ in range(steps)]
    return z.numpy(), losses
