"""The projection step applies minus the gradient, so z climbs the loss instead of descending it."""

# ruff: noqa: F821 (names from the notebook)

import tensorflow as tf

PART = "projection_step"
MISTAKE = (
    "The projection step applies minus the gradient, so z climbs the loss instead of descending it."
)


def make_projection_step(generator, optimizer, prior_weight):
    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            images = generator(z, training=False)
            loss = masked_colour_loss(images, targets, masks) + prior_weight * prior_loss(z)
        optimizer.apply_gradients([(-tape.gradient(loss, z), z)])
        return loss

    return step
