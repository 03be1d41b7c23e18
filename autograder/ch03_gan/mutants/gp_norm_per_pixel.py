"""The gradient's norm is taken over the channel axis only: one norm per pixel."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "the gradient's norm is taken over the channel axis only (axis -1), so every pixel gets "
    "a norm of its own and the penalty averages (norm - 1)^2 over pixels: take one norm per "
    "sample, over axes (1, 2, 3)."
)


def gradient_penalty(critic, real_images, fake_images, weight=10.0):
    real = tf.cast(real_images, tf.float32)
    fake = tf.cast(fake_images, tf.float32)
    eps = tf.random.uniform([tf.shape(real)[0], 1, 1, 1], 0.0, 1.0)
    mixed = eps * real + (1.0 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grads = tape.gradient(scores, mixed)
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=-1) + 1e-12)  # (B, H, W)
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
