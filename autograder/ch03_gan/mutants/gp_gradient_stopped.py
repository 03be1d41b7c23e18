"""The inner gradient is wrapped in stop_gradient, so the penalty never trains the critic."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "No gradient reaches the critic's weights through the penalty, because the inner "
    "gradient is treated as a constant (as stop_gradient or a NumPy step on it makes it), "
    "so the penalty never trains the critic; keep every step in differentiable TensorFlow "
    "or keras.ops operations."
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
    gradients = tf.stop_gradient(tape.gradient(scores, interpolates))
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
