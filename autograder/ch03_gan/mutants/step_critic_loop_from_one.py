"""The critic loop starts at 1: one critic update too few, and the first batch never used."""

# ruff: noqa: F821 (critic_loss, gradient_penalty, ... are the reference's)
import tensorflow as tf

PART = "wgan_train_step"
MISTAKE = (
    "The critic loop runs over range(1, n_critic), so the critic gets n_critic - 1 updates and "
    "the first batch of real_batches and critic_z is never used."
)
NAMED_BY = "one critic update too few"


def make_wgan_train_step(
    generator, critic, g_optimizer, c_optimizer, n_critic=5, clip_value=None, gp_weight=0.0
):
    @tf.function
    def step(real_batches, critic_z, generator_z):
        c_loss = tf.constant(0.0)
        for i in range(1, n_critic):
            real_images = real_batches[i]
            with tf.GradientTape() as tape:
                fake_images = generator(critic_z[i], training=True)
                c_loss = critic_loss(
                    critic(real_images, training=True), critic(fake_images, training=True)
                )
                if gp_weight > 0:
                    c_loss += gradient_penalty(critic, real_images, fake_images, gp_weight)
            variables = critic.trainable_variables
            gradients = tape.gradient(c_loss, variables)
            c_optimizer.apply_gradients(zip(gradients, variables, strict=True))
            if clip_value is not None:
                clip_critic_weights(critic, clip_value)
        with tf.GradientTape() as tape:
            fake_scores = critic(generator(generator_z, training=True), training=True)
            g_loss = wgan_generator_loss(fake_scores)
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables, strict=True))
        return c_loss, g_loss

    return step
