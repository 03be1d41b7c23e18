"""The one-sided penalty: only gradient norms above 1 are penalised."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "Only gradient norms above 1 are penalised (max(0, ||g|| - 1)^2, the one-sided penalty); "
    "the task's penalty is two-sided, (||g|| - 1)^2."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    epsilon = tf.random.uniform((tf.shape(real_images)[0], 1, 1, 1), 0.0, 1.0)
    interpolates = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(tf.nn.relu(norms - 1.0)))
