"""The projection step leaves the prior term out of the loss."""

# ruff: noqa: F821 (names from the notebook)

import tensorflow as tf

PART = "projection_step"
MISTAKE = "The projection step leaves the prior term out of the loss."


def make_projection_step(generator, optimizer, prior_weight):
    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            images = generator(z, training=False)
            loss = masked_colour_loss(images, targets, masks)
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])
        return loss

    return step
