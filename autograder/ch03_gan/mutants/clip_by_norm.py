"""Each kernel rescaled to a norm of at most c instead of each weight clipped to [-c, c]."""

import tensorflow as tf

PART = "weight_clipping"
MISTAKE = (
    "Each kernel is rescaled with tf.clip_by_norm, so that its whole norm is at most c, "
    "instead of clipping each weight to [-c, c] with tf.clip_by_value (or keras.ops.clip)."
)


def clip_critic_weights(critic, clip_value):
    for layer in critic.layers:
        if getattr(layer, "kernel", None) is not None:
            layer.kernel.assign(tf.clip_by_norm(layer.kernel, clip_value))
