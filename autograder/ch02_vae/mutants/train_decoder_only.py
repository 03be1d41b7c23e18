"""Only the decoder's variables are updated: the encoder stays at its initial weights."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step applies gradients to the decoder's variables only, so the encoder "
    "never learns."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = decoder.trainable_variables

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
