"""Clipping to [0, c] instead of [-c, c]."""

import keras

PART = "weight_clipping"
MISTAKE = "The kernels are clipped to [0, c]; the bound is symmetric, [-c, c]."


def clip_critic_weights(critic, clip_value):
    for layer in critic.layers:
        kernel = getattr(layer, "kernel", None)
        if kernel is not None:
            kernel.assign(keras.ops.clip(kernel, 0.0, clip_value))
