"""The discriminator's last dense layer keeps the default gain sqrt(2) instead of gain 1."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "progan_discriminator"
MISTAKE = "The discriminator's last dense layer keeps the default gain sqrt(2) instead of gain 1."


class ProDiscriminator(keras.Model):
    # images (B, 4 * 2**stage, 4 * 2**stage, C) -> scores (B, 1), faded in by alpha.

    def __init__(self, filters=FILTERS, group_size=4, **kwargs):
        super().__init__(**kwargs)
        widths = [stage_filters(filters, s) for s in range(STAGES)]
        self.from_rgb = [
            keras.Sequential([EqualizedConv2D(width, 1), keras.layers.LeakyReLU(LEAK)])
            for width in widths
        ]
        self.blocks = [discriminator_block(widths[s], widths[s - 1]) for s in range(1, STAGES)]
        self.base = keras.Sequential(
            [
                MinibatchStd(group_size),
                EqualizedConv2D(widths[0], 3),
                keras.layers.LeakyReLU(LEAK),
                keras.layers.Flatten(),
                EqualizedDense(widths[0]),
                keras.layers.LeakyReLU(LEAK),
                EqualizedDense(1),
            ]
        )
        self.downsample = keras.layers.AveragePooling2D(2)

    def build(self, input_shape):
        # nothing to create here: each stage's layers build themselves on their first call
        pass

    def call(self, images, stage=STAGES - 1, alpha=1.0):
        features = self.from_rgb[stage](images)
        if stage > 0:
            new = self.blocks[stage - 1](features)
            old = self.from_rgb[stage - 1](self.downsample(images))
            features = fade_in(alpha, old, new)
            for block in reversed(self.blocks[: stage - 1]):
                features = block(features)
        return self.base(features)
