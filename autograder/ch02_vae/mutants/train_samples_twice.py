"""The sampler is called twice in one step: z for the decoder is another draw than the one
the step was meant to use."""

# ruff: noqa: F821 (vae_loss comes from the reference module this file runs on top of)
import tensorflow as tf

PART = "train_step"
MISTAKE = (
    "the training step calls the sampler twice (one draw is thrown away, or each use gets its "
    "own), so the noise of the step is not the sampler's first draw; call it exactly once."
)


def make_train_step(encoder, decoder, sampler, optimizer):
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(images):
        with tf.GradientTape() as tape:
            mean, logvar = encoder(images, training=True)
            z = sampler((mean, logvar))  # noqa: F841 (drawn, then not used)
            reconstructions = decoder(sampler((mean, logvar)), training=True)
            loss, reconstruction, kl = vae_loss(images, reconstructions, mean, logvar)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, reconstruction, kl

    return step
