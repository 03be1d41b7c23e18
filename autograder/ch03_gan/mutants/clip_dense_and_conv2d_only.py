"""Only Dense and Conv2D layers clipped: other layers with a kernel are left as they are."""

import keras

PART = "weight_clipping"
MISTAKE = (
    "only Dense and Conv2D layers are clipped (an isinstance test); every layer that has a "
    "kernel is, Conv2DTranspose's and the others' too: test for the kernel itself."
)


def clip_critic_weights(critic, clip_value):
    for layer in critic.layers:
        if isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D)):
            layer.kernel.assign(keras.ops.clip(layer.kernel, -clip_value, clip_value))
