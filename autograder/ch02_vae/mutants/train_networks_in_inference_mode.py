"""The networks are called without training=True in the step: layers that behave differently
in training (batch normalisation, dropout) run in inference mode."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step calls the encoder and decoder without training=True, so layers such as "
    "batch normalisation run in inference mode while they train."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images)
            reconstructions = decoder(sampler((mean, logvar)))
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
