"""Epsilon drawn with NumPy: in a tf.function it is drawn once, when the function is traced, and
every later call reuses the same values."""

import numpy as np
import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "Epsilon is drawn with NumPy (np.random.uniform), so inside a tf.function (the training "
    "step) it is drawn once at tracing and every call reuses it: draw it with "
    "tf.random.uniform."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    batch = real_images.shape[0]
    epsilon = np.random.uniform(0.0, 1.0, size=(batch, 1, 1, 1)).astype(np.float32)
    interpolates = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
