"""The critic's update makes its fakes from generator_z instead of critic_z."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "progan_step"
MISTAKE = "The critic's update makes its fakes from generator_z instead of critic_z."


def make_progan_step(generator, critic, g_optimizer, c_optimizer, stage):
    # step(real_images, critic_z, generator_z, epsilon, alpha) -> (critic loss, generator loss)

    def used(gradients, variables):
        # earlier stages' to-RGB / from-RGB layers get no gradient at a later stage
        return [(g, v) for g, v in zip(gradients, variables, strict=True) if g is not None]

    def score(images, alpha):
        return critic(images, stage=stage, alpha=alpha, training=True)

    @tf.function
    def step(real_images, critic_z, generator_z, epsilon, alpha):
        with tf.GradientTape() as tape:
            fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)
            penalty = gradient_penalty(
                lambda mixed: score(mixed, alpha), real_images, fake_images, epsilon
            )
            c_loss = progan_critic_loss(
                score(real_images, alpha), score(fake_images, alpha), penalty
            )
        c_optimizer.apply_gradients(
            used(tape.gradient(c_loss, critic.trainable_variables), critic.trainable_variables)
        )
        with tf.GradientTape() as tape:
            fake_images = generator(generator_z, stage=stage, alpha=alpha, training=True)
            g_loss = progan_generator_loss(score(fake_images, alpha))
        variables = generator.trainable_variables  # the critic is left alone here
        g_optimizer.apply_gradients(used(tape.gradient(g_loss, variables), variables))
        return c_loss, g_loss

    return step
