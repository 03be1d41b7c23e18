"""reflect_conv always applies a ReLU, whatever activation it is given."""

import keras

PART = "reflect_conv"
MISTAKE = "reflect_conv always applies a ReLU, whatever activation it is given."


def reflect_conv(x, filters, activation="relu", name=None):
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation="relu", name=name)
    return conv(padded)
