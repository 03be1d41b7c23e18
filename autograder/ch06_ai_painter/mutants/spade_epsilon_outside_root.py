"""SPADE adds epsilon after the square root, (x - mean) / (sqrt(variance) + epsilon), instead of
inside it.
"""

# ruff: noqa: F821 (names from the notebook)

import keras
from keras import ops

PART = "spade"
MISTAKE = (
    "SPADE adds epsilon after the square root, (x - mean) / (sqrt(variance) + epsilon), "
    "instead of inside it."
)


class SPADE(keras.layers.Layer):
    def __init__(self, hidden=64, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.hidden, self.epsilon = hidden, epsilon

    def build(self, input_shape):
        channels = input_shape[-1]
        self.shared = keras.layers.Conv2D(self.hidden, 3, padding="same", activation="relu")
        self.gamma_conv = keras.layers.Conv2D(channels, 3, padding="same")
        self.beta_conv = keras.layers.Conv2D(channels, 3, padding="same")

    def call(self, x, label_map):
        mean, variance = ops.moments(x, axes=[0, 1, 2], keepdims=True)
        x_hat = (x - mean) / (ops.sqrt(variance) + self.epsilon)
        labels = ops.image.resize(label_map, ops.shape(x)[1:3], interpolation="nearest")
        hidden = self.shared(labels)
        return x_hat * (1.0 + self.gamma_conv(hidden)) + self.beta_conv(hidden)

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden, "epsilon": self.epsilon}
