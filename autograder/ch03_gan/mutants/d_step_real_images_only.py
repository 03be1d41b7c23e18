"""The discriminator is trained on real images only, so it learns to call everything real."""

import tensorflow as tf

PART = "train_steps"
MISTAKE = (
    "The discriminator's step only sees real images; it needs discriminator_loss on the real "
    "and the generated batch."
)
NAMED_BY = "d_step never called discriminator_loss"


def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(real_images, training=True))  # noqa: F821
        variables = discriminator.trainable_variables
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
