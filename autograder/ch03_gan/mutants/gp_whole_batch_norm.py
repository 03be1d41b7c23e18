"""The norm is taken over the whole batch, as in the book's code."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The gradient's norm is taken over the whole batch at once, one norm for all the "
    "samples together; take one norm per sample, over axes (1, 2, 3), and average (norm - "
    "1)^2 over the samples."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    batch = tf.shape(real_images)[0]
    epsilon = tf.random.uniform((batch, 1, 1, 1), 0.0, 1.0)
    interpolates = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, [interpolates])
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3, 4]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
