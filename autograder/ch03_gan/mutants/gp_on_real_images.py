"""The penalty taken at the real images instead of at interpolates."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The penalty is taken at the real images instead of at random interpolates between real "
    "and generated images."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    batch = tf.shape(real_images)[0]
    epsilon = tf.random.uniform((batch, 1, 1, 1), 0.0, 1.0)
    interpolates = real_images + 0.0 * epsilon
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
