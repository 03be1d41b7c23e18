"""The mean gradient norm of the batch is compared with 1."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The mean gradient norm of the batch is compared with 1 ((mean ||g|| - 1)^2); penalise "
    "each sample's norm, then average."
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
    gradients = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.square(tf.reduce_mean(norms) - 1.0)
