"""The gradient's norm is taken over the height and width only (axes 1 and 2): one norm per
channel, not one per sample."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The gradient's norm is taken over axes 1 and 2 only, so images with several channels get "
    "one norm per channel: take the norm over every axis but the batch, (1, 2, 3)."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real = tf.cast(real_images, tf.float32)
    fake = tf.cast(fake_images, tf.float32)
    eps = tf.random.uniform([tf.shape(real)[0], 1, 1, 1], 0.0, 1.0)
    x_hat = fake + eps * (real - fake)
    with tf.GradientTape() as inner:
        inner.watch(x_hat)
        score = critic(x_hat, training=True)
    grad = inner.gradient(score, x_hat)
    norm = tf.sqrt(tf.reduce_sum(grad**2, axis=[1, 2]) + 1e-12)  # (B, C)
    return weight * tf.reduce_mean((norm - 1.0) ** 2)
