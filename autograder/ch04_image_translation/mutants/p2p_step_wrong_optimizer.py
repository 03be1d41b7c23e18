"""The generator updated with D's optimiser."""

# ruff: noqa: F821 (names from the notebook)
import tensorflow as tf

PART = "pix2pix_step"
MISTAKE = "train_step applies the generator's gradients with d_optimizer."
NAMED_BY = "applied d_optimizer to the generator"


def make_pix2pix_step(generator, discriminator, g_optimizer, d_optimizer, l1_weight=100.0):
    @tf.function
    def train_step(inputs, targets):
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            generated = generator(inputs, training=True)
            real_logits = discriminator([inputs, targets], training=True)
            fake_logits = discriminator([inputs, generated], training=True)
            g_loss = generator_loss(fake_logits, generated, targets, l1_weight)
            d_loss = discriminator_loss(real_logits, fake_logits)
        g_gradients = g_tape.gradient(g_loss, generator.trainable_variables)
        d_gradients = d_tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(g_gradients, generator.trainable_variables, strict=True))
        d_optimizer.apply_gradients(
            zip(d_gradients, discriminator.trainable_variables, strict=True)
        )
        return g_loss, d_loss

    return train_step
