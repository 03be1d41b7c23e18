"""MinibatchStd groups every (B / G)-th sample together instead of consecutive samples."""

# ruff: noqa: F821, E501, B008, F841 (names from the notebook; the reference cell with one edit)

import math  # noqa: F401

import keras  # noqa: F401
import tensorflow as tf  # noqa: F401

PART = "minibatch_std"
MISTAKE = "MinibatchStd groups every (B / G)-th sample together instead of consecutive samples."


class MinibatchStd(keras.layers.Layer):
    # Appends the average standard deviation of each group of samples as one channel.

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, x):
        batch, height, width, channels = keras.ops.shape(x)
        group = min(self.group_size, batch)
        groups = keras.ops.reshape(x, (group, -1, height, width, channels))
        spread = keras.ops.sqrt(keras.ops.var(groups, axis=0) + self.epsilon)
        per_group = keras.ops.mean(spread, axis=(1, 2, 3))  # (B / G,)
        per_sample = keras.ops.tile(per_group, [group])  # sample i in group i % (B / G)
        channel = keras.ops.broadcast_to(
            keras.ops.reshape(per_sample, (-1, 1, 1, 1)), (batch, height, width, 1)
        )
        return keras.ops.concatenate([x, channel], axis=-1)
