"""generator_step applies the generators' gradients with d_optimizer."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "cyclegan_steps"
MISTAKE = "generator_step applies the generators' gradients with d_optimizer."


def make_cyclegan_steps(
    g_ab, g_ba, d_a, d_b, g_optimizer, d_optimizer, cycle_weight=10.0, identity_weight=5.0
):
    generator_variables = g_ab.trainable_variables + g_ba.trainable_variables
    discriminator_variables = d_a.trainable_variables + d_b.trainable_variables

    @tf.function
    def generator_step(real_a, real_b):
        with tf.GradientTape() as tape:
            total, fake_a, fake_b = generator_objective(
                g_ab, g_ba, d_a, d_b, real_a, real_b, cycle_weight, identity_weight
            )
        gradients = tape.gradient(total, generator_variables)
        d_optimizer.apply_gradients(zip(gradients, generator_variables, strict=True))
        return total, fake_a, fake_b

    @tf.function
    def discriminator_step(real_a, real_b, fake_a, fake_b):
        with tf.GradientTape() as tape:
            loss_a = lsgan_discriminator_loss(
                d_a(real_a, training=True), d_a(fake_a, training=True)
            )
            loss_b = lsgan_discriminator_loss(
                d_b(real_b, training=True), d_b(fake_b, training=True)
            )
            loss = loss_a + loss_b
        gradients = tape.gradient(loss, discriminator_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator_variables, strict=True))
        return loss_a, loss_b

    return generator_step, discriminator_step
