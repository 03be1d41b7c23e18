"""make_train_step returns the plain Python step function, not a tf.function."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "make_train_step returns the plain Python function step instead of a tf.function, so "
    "every step runs eagerly, operation by operation."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
