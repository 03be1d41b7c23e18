"""The synthesis network ends in a tanh instead of a linear 1 x 1 convolution."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "style_generator"
MISTAKE = "The synthesis network ends in a tanh instead of a linear 1 x 1 convolution."


class StyleGenerator(keras.Model):
    # generator(ws, noise=None): ws (batch, NUM_STYLES, latent_dim) -> (batch, 32, 32, channels)

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.filters = filters
        self.channels = channels
        self.constant = self.add_weight(
            shape=(1, 4, 4, filters), initializer="ones", name="constant"
        )
        self.convs = [
            keras.layers.Conv2D(filters, 3, padding="same") for _ in range(NUM_STYLES - 1)
        ]
        self.noises = [NoiseInjection() for _ in range(NUM_STYLES)]
        self.adains = [AdaIN(filters) for _ in range(NUM_STYLES)]
        self.to_image = keras.layers.Conv2D(channels, 1)

    def call(self, ws, noise=None):
        x = keras.ops.repeat(self.constant, keras.ops.shape(ws)[0], axis=0)
        for i in range(NUM_STYLES):
            if i > 0:
                if i % 2 == 0:
                    x = keras.ops.repeat(keras.ops.repeat(x, 2, axis=1), 2, axis=2)
                x = self.convs[i - 1](x)
            x = self.noises[i](x, None if noise is None else noise[i])
            x = keras.ops.leaky_relu(x, LEAK)
            x = self.adains[i](x, ws[:, i])
        return keras.ops.tanh(self.to_image(x))
