"""Clipping the kernels and the biases of every layer (batch normalisation left alone)."""

import keras

PART = "weight_clipping"
MISTAKE = (
    "The biases are clipped along with the kernels; the task clips the kernels only and leaves "
    "the biases as they are."
)


def clip_critic_weights(critic, clip_value):
    for layer in critic.layers:
        for name in ("kernel", "bias"):
            variable = getattr(layer, name, None)
            if variable is not None:
                variable.assign(keras.ops.clip(variable, -clip_value, clip_value))
