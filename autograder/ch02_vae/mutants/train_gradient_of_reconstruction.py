"""The gradient of the reconstruction term alone: the KL term never trains the encoder."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the gradient is taken of the reconstruction term alone, not of the whole loss "
    "(reconstruction + KL), so the KL term never pulls the codes towards the prior."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    @tf.function
    def step(images):
        variables = encoder.trainable_variables + decoder.trainable_variables
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(
            zip(tape.gradient(reconstruction, variables), variables, strict=True)
        )
        return loss, reconstruction, kl

    return step
