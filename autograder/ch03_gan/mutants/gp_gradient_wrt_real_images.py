"""The gradient taken with respect to the real images, not the interpolates."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The tape's gradient is taken with respect to real_images instead of the interpolates, which "
    "gives epsilon_i times the critic's gradient: ask for tape.gradient(scores, interpolates)."
)
NAMED_BY = "the gradient was taken with respect to real_images"


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    epsilon = tf.random.uniform((tf.shape(real_images)[0], 1, 1, 1))
    with tf.GradientTape() as tape:
        tape.watch(real_images)
        interpolates = epsilon * real_images + (1.0 - epsilon) * fake_images
        scores = critic(interpolates, training=True)
    grads = tape.gradient(scores, real_images)
    norms = tf.norm(tf.reshape(grads, (tf.shape(grads)[0], -1)), axis=1)
    return weight * tf.reduce_mean((norms - 1.0) ** 2)
