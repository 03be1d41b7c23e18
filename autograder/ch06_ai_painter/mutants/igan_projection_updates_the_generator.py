"""The projection step applies the gradient to the generator's weights as well as to z."""

# ruff: noqa: F821 (names from the notebook)

import tensorflow as tf

PART = "projection_step"
MISTAKE = "The projection step applies the gradient to the generator's weights as well as to z."


def make_projection_step(generator, optimizer, prior_weight):
    @tf.function
    def step(z, targets, masks):
        with tf.GradientTape() as tape:
            images = generator(z, training=False)
            loss = masked_colour_loss(images, targets, masks) + prior_weight * prior_loss(z)
        variables = [z, *generator.trainable_variables]
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=False))
        return loss

    return step
