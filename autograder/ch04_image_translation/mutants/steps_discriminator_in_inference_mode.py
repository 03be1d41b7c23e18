"""Both steps call the discriminator with training=False."""

import tensorflow as tf

PART = "cgan_steps"
MISTAKE = (
    "The steps call the discriminator with training=False, so its batch normalisation uses "
    "moving averages instead of the batch's statistics; pass training=True."
)
NAMED_BY = "without training=True"


def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    @tf.function
    def d_step(real_images, real_labels, z, fake_labels):
        fake_images = generator([z, fake_labels], training=True)
        with tf.GradientTape() as tape:
            real_logits = discriminator([real_images, real_labels], training=False)
            fake_logits = discriminator([fake_images, fake_labels], training=False)
            loss = discriminator_loss(real_logits, fake_logits)  # noqa: F821
        variables = discriminator.trainable_variables
        d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def g_step(z, fake_labels):
        with tf.GradientTape() as tape:
            fake_images = generator([z, fake_labels], training=True)
            loss = generator_loss(discriminator([fake_images, fake_labels], training=False))  # noqa: F821
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return d_step, g_step
