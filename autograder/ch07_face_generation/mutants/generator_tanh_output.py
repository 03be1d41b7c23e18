"""The generator squashes its images with tanh; ProGAN's to-RGB is linear."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "progan_generator"
MISTAKE = "The generator squashes its images with tanh; ProGAN's to-RGB is linear."


def fade_in(alpha, old, new):
    # (1 - alpha) * old + alpha * new
    return old + alpha * (new - old)


class ProGenerator(keras.Model):
    # z (B, latent_dim) -> images (B, 4 * 2**stage, 4 * 2**stage, channels), faded in by alpha.

    def __init__(self, latent_dim=LATENT_DIM, filters=FILTERS, channels=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        first = stage_filters(filters, 0)
        self.base = keras.Sequential(
            [
                PixelNorm(),
                EqualizedDense(4 * 4 * first, gain=HE_GAIN / 4),
                keras.layers.Reshape((4, 4, first)),
                keras.layers.LeakyReLU(LEAK),
                PixelNorm(),
                EqualizedConv2D(first, 3),
                keras.layers.LeakyReLU(LEAK),
                PixelNorm(),
            ]
        )
        self.blocks = [generator_block(stage_filters(filters, s)) for s in range(1, STAGES)]
        self.to_rgb = [EqualizedConv2D(channels, 1, gain=1.0) for _ in range(STAGES)]
        self.upsample = keras.layers.UpSampling2D(2)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, z, stage=STAGES - 1, alpha=1.0):
        features = self.base(z)
        if stage == 0:
            return keras.ops.tanh(self.to_rgb[0](features))
        for block in self.blocks[: stage - 1]:
            features = block(features)
        old = self.upsample(self.to_rgb[stage - 1](features))
        new = self.to_rgb[stage](self.blocks[stage - 1](features))
        return keras.ops.tanh(fade_in(alpha, old, new))
