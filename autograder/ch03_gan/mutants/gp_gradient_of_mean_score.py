"""The gradient of the batch's mean score: every sample's gradient divided by the batch size."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "gradient_penalty differentiates the mean of the critic's scores over the batch instead of "
    "their sum, so every sample's gradient is divided by the batch size."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    epsilon = tf.random.uniform((tf.shape(real_images)[0], 1, 1, 1), 0.0, 1.0)
    interpolates = fake_images + epsilon * (real_images - fake_images)
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        score = tf.reduce_mean(critic(interpolates, training=True))
    gradients = tape.gradient(score, interpolates)
    norms = tf.norm(tf.reshape(gradients, (tf.shape(gradients)[0], -1)), axis=1)
    return weight * tf.reduce_mean((norms - 1.0) ** 2)
