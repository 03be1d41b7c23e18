"""reflect_conv's activation defaults to None (linear) instead of a ReLU."""

import keras

PART = "reflect_conv"
MISTAKE = "reflect_conv's activation defaults to None (linear) instead of a ReLU."


def reflect_conv(x, filters, activation=None, name=None):
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)
    return conv(padded)
