"""The encoder step runs the generator with training=True, which updates its batch normalisation's
moving averages.
"""

# ruff: noqa: F821 (names from the notebook)

import keras
import tensorflow as tf
from keras import ops

PART = "inverse_encoder"
MISTAKE = (
    "The encoder step runs the generator with training=True, which updates its batch "
    "normalisation's moving averages."
)


def make_encoder_step(encoder, generator, optimizer, batch_size):
    seed = keras.random.SeedGenerator(0)
    z_dim = encoder.output.shape[-1]

    @tf.function
    def step():
        z = keras.random.normal((batch_size, z_dim), seed=seed)
        with tf.GradientTape() as tape:
            x = generator(z, training=True)
            loss = ops.mean(ops.square(encoder(x) - z))
        variables = encoder.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=False))
        return loss

    return step
