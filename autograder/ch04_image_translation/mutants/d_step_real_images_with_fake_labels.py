"""d_step judges the real images with the fake labels."""

import tensorflow as tf

PART = "cgan_steps"
MISTAKE = "d_step judges the real images with fake_labels instead of their own real_labels."
NAMED_BY = "go with real_labels"


def make_cgan_steps(generator, discriminator, g_optimizer, d_optimizer):
    @tf.function
    def d_step(real_images, real_labels, z, fake_labels):
        fake_images = generator([z, fake_labels], training=True)
        with tf.GradientTape() as tape:
            real_logits = discriminator([real_images, fake_labels], training=True)
            fake_logits = discriminator([fake_images, fake_labels], training=True)
            loss = discriminator_loss(real_logits, fake_logits)  # noqa: F821
        variables = discriminator.trainable_variables
        d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def g_step(z, fake_labels):
        with tf.GradientTape() as tape:
            fake_images = generator([z, fake_labels], training=True)
            loss = generator_loss(discriminator([fake_images, fake_labels], training=True))  # noqa: F821
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return d_step, g_step
