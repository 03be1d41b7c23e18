"""The interpolates mix each real image with another real image (a typo: real twice)."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The interpolates mix two real images (real_images where fake_images belongs); they lie "
    "between each real image and its generated image."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    epsilon = tf.random.uniform((tf.shape(real_images)[0], 1, 1, 1), 0.0, 1.0)
    interpolates = epsilon * real_images + (1.0 - epsilon) * tf.reverse(real_images, [0])
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        scores = critic(interpolates, training=True)
    gradients = tape.gradient(scores, interpolates)
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
