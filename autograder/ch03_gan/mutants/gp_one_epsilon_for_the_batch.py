"""One epsilon for the whole batch instead of one per sample."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "One epsilon is drawn for the whole batch, so every interpolate sits at the same fraction "
    "of its segment; draw one per sample, shape (batch, 1, 1, 1)."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    epsilon = tf.random.uniform((), 0.0, 1.0)
    interpolates = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
