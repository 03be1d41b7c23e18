"""The forward pass runs before the tape starts recording: the tape sees no computation, so
no variable gets a gradient."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step computes the loss before `with tf.GradientTape() as tape:` starts "
    "recording, so the tape has nothing to differentiate and no variable gets a gradient."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        mean, logvar = encoder(images, training=True)
        reconstructions = decoder(sampler((mean, logvar)), training=True)
        loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        with tf.GradientTape() as tape:
            gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return loss, reconstruction, kl

    return step
