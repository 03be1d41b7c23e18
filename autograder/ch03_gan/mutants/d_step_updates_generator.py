"""The discriminator's step also applies its gradients to the generator."""

import tensorflow as tf

PART = "train_steps"
MISTAKE = (
    "The discriminator's step also updates the generator, which then learns to be caught; "
    "update discriminator.trainable_variables only."
)


def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            real_logits = discriminator(real_images, training=True)
            fake_logits = discriminator(generator(z, training=True), training=True)
            loss = discriminator_loss(real_logits, fake_logits)  # noqa: F821 (the reference's)
        variables = discriminator.trainable_variables + generator.trainable_variables
        d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z, training=True), training=True))  # noqa: F821
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return d_step, g_step
