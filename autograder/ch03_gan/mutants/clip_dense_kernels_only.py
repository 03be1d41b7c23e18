"""Only the Dense layers' kernels clipped; the convolutions' kernels left as they are."""

import keras

PART = "weight_clipping"
MISTAKE = (
    "only the kernels of Dense layers are clipped; every layer's kernel is, the convolutions' too."
)


def clip_critic_weights(critic, clip_value):
    for layer in critic.layers:
        if isinstance(layer, keras.layers.Dense):
            layer.kernel.assign(keras.ops.clip(layer.kernel, -clip_value, clip_value))
