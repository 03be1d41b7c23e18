"""The projection step runs the generator before opening the GradientTape, so the colour loss gives
z no gradient and only the prior term moves z.
"""

# ruff: noqa: F821 (names from the notebook)

import tensorflow as tf

PART = "projection_step"
MISTAKE = (
    "The projection step runs the generator before opening the GradientTape, so the colour "
    "loss gives z no gradient and only the prior term moves z."
)


def make_projection_step(generator, optimizer, prior_weight):
    @tf.function
    def step(z, targets, masks):
        made = generator(z, training=False)
        with tf.GradientTape() as tape:
            loss = masked_colour_loss(made, targets, masks) + prior_weight * prior_loss(z)
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])
        return loss

    return step
