"""The book's clipping: everything get_weights() returns, batch-norm statistics included."""

import numpy as np

PART = "weight_clipping"
MISTAKE = (
    "Every weight of the critic is clipped, trainable or not, batch normalisation's moving "
    "mean and variance included; clip the layers' kernels only."
)


def clip_critic_weights(critic, clip_value):
    for layer in critic.layers:
        weights = layer.get_weights()
        layer.set_weights([np.clip(w, -clip_value, clip_value) for w in weights])
