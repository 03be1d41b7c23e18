"""Clipping every trainable variable, batch normalisation's gamma and beta included."""

import keras

PART = "weight_clipping"
MISTAKE = (
    "Every trainable variable is clipped, including batch normalisation's gamma and beta, which "
    "shrinks the layer's outputs; clip the layers' kernels only."
)


def clip_critic_weights(critic, clip_value):
    for variable in critic.trainable_variables:
        variable.assign(keras.ops.clip(variable, -clip_value, clip_value))
