"""The projection step returns the loss of the updated z instead of the loss it was given."""

# ruff: noqa: F821 (names from the notebook)

import tensorflow as tf

PART = "projection_step"
MISTAKE = "The projection step returns the loss of the updated z instead of the loss it was given."


def make_projection_step(generator, optimizer, prior_weight):
    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            images = generator(z, training=False)
            loss = masked_colour_loss(images, targets, masks) + prior_weight * prior_loss(z)
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])
        return masked_colour_loss(
            generator(z, training=False), targets, masks
        ) + prior_weight * prior_loss(z)

    return step
