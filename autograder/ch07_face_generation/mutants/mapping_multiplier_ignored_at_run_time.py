"""The mapping network stores its kernels with standard deviation 1 / lr_multiplier but scales them by He's constant alone at run time."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "mapping_network"
MISTAKE = "The mapping network stores its kernels with standard deviation 1 / lr_multiplier but scales them by He's constant alone at run time."


class MappingNetwork(keras.Model):
    # z (batch, latent_dim) -> w (batch, latent_dim): normalise z, then `depth` equalised dense
    # layers with the learning-rate multiplier, each followed by a LeakyReLU

    def __init__(
        self, latent_dim=LATENT_DIM, depth=MAPPING_LAYERS, lr_multiplier=LR_MULTIPLIER, **kwargs
    ):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.depth = depth
        self.lr_multiplier = lr_multiplier
        stored = keras.initializers.RandomNormal(0.0, 1.0 / lr_multiplier)
        self.kernels = [
            self.add_weight(shape=(latent_dim, latent_dim), initializer=stored, name=f"kernel_{i}")
            for i in range(depth)
        ]
        self.biases = [
            self.add_weight(shape=(latent_dim,), initializer="zeros", name=f"bias_{i}")
            for i in range(depth)
        ]
        self.kernel_scale = HE_GAIN / math.sqrt(latent_dim)

    def call(self, z):
        mean_square = keras.ops.mean(keras.ops.square(z), axis=-1, keepdims=True)
        x = z * keras.ops.rsqrt(mean_square + 1e-8)
        for kernel, bias in zip(self.kernels, self.biases, strict=True):
            x = keras.ops.matmul(x, kernel * self.kernel_scale) + bias * self.lr_multiplier
            x = keras.ops.leaky_relu(x, LEAK)
        return x
