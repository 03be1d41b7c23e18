"""The norm from the mean of the squared entries instead of their sum."""

import tensorflow as tf

PART = "gradient_penalty"
MISTAKE = (
    "The norm is the root of the mean of each sample's squared gradient entries; it is the root "
    "of their sum."
)
NAMED_BY = "That is the penalty on the root of the MEAN of each sample's squared gradient entries"


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
    norms = tf.sqrt(tf.reduce_mean(tf.square(gradients), axis=[1, 2, 3]))
    return weight * tf.reduce_mean(tf.square(norms - 1.0))
