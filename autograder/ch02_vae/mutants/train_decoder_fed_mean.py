"""The decoder is fed the mean instead of the sampled z during training."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step decodes the mean instead of the sampled z, so the noise never reaches "
    "the decoder and logvar is trained by the KL term alone."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            sampler((mean, logvar))
            reconstructions = decoder(mean, training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
