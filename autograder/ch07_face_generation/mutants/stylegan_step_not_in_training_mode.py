"""The step calls the synthesis network without training=True."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "stylegan_step"
MISTAKE = "The step calls the synthesis network without training=True."


def make_stylegan_step(mapping, generator, critic, g_optimizer, c_optimizer, r1_gamma=R1_GAMMA):
    # step(real_images, critic_z, generator_z) -> (critic loss, generator loss)

    def fakes(z):
        return generator(broadcast_w(mapping(z, training=True)))

    @tf.function
    def step(real_images, critic_z, generator_z):
        real_images = tf.convert_to_tensor(real_images, tf.float32)
        with tf.GradientTape() as tape:
            with tf.GradientTape() as r1_tape:
                r1_tape.watch(real_images)
                real_scores = critic(real_images, training=True)
                total = tf.reduce_sum(real_scores)
            slopes = r1_tape.gradient(total, real_images)
            r1 = tf.reduce_mean(tf.reduce_sum(tf.square(slopes), axis=[1, 2, 3]))
            fake_scores = critic(fakes(critic_z), training=True)
            c_loss = (
                tf.reduce_mean(tf.nn.softplus(fake_scores))
                + tf.reduce_mean(tf.nn.softplus(-real_scores))
                + 0.5 * r1_gamma * r1
            )
        variables = critic.trainable_variables
        c_optimizer.apply_gradients(zip(tape.gradient(c_loss, variables), variables, strict=True))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-critic(fakes(generator_z), training=True)))
        variables = mapping.trainable_variables + generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables, strict=True))
        return c_loss, g_loss

    return step
