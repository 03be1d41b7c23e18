"""The penalty's weight is hard-coded to 10 (the paper's lambda): the `weight` argument is
ignored."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The penalty ignores its weight argument and always uses lambda = 10: multiply by `weight`, "
    "so that gradient_penalty(..., weight) scales with it."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    fake_images = tf.convert_to_tensor(fake_images, tf.float32)
    epsilon = tf.random.uniform((tf.shape(real_images)[0], 1, 1, 1))
    between = epsilon * real_images + (1.0 - epsilon) * fake_images
    with tf.GradientTape() as tape:
        tape.watch(between)
        scores = critic(between, training=True)
    flat = tf.reshape(tape.gradient(scores, between), (tf.shape(between)[0], -1))
    norms = tf.norm(flat, axis=1)
    return 10.0 * tf.reduce_mean((norms - 1.0) ** 2)
