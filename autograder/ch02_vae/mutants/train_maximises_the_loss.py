"""Gradient ascent: the step maximises the ELBO's negative (a sign error)."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step follows the gradient of -loss (a sign error), so every step makes the "
    "negative ELBO larger."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
            objective = -loss
        optimizer.apply_gradients(zip(tape.gradient(objective, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
