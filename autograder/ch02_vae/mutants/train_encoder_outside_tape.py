"""The encoder runs before the tape opens: its weights get no gradient."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step runs the encoder before the GradientTape opens, so the tape never sees "
    "it and the encoder's weights get no gradient."
)
NAMED_BY = "the tape did not record the loss's computation through them"


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        mean, logvar = encoder(images, training=True)
        with tf.GradientTape() as tape:
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
