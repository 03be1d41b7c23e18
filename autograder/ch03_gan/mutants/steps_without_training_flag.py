"""The steps call the networks without training=True, so batch normalisation stays in
inference mode (moving averages, never updated) while the networks train."""

import tensorflow as tf

PART = "train_steps"
MISTAKE = (
    "The steps call the networks without training=True, so batch normalisation uses its moving "
    "averages instead of the batch's statistics while the networks train."
)
NAMED_BY = "without training=True"


def make_gan_steps(generator, discriminator, g_optimizer, d_optimizer):
    @tf.function
    def d_step(real_images, z):
        with tf.GradientTape() as tape:
            real_logits = discriminator(real_images)
            fake_logits = discriminator(generator(z))
            loss = discriminator_loss(real_logits, fake_logits)  # noqa: F821 (the notebook's)
        variables = discriminator.trainable_variables
        d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def g_step(z):
        with tf.GradientTape() as tape:
            loss = generator_loss(discriminator(generator(z)))  # noqa: F821
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return d_step, g_step
