"""reflect_conv pads with mode="symmetric", which repeats the edge pixel, instead of "reflect"."""

import keras

PART = "reflect_conv"
MISTAKE = (
    'reflect_conv pads with mode="symmetric", which repeats the edge pixel, instead of "reflect".'
)


def reflect_conv(x, filters, activation="relu", name=None):
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="symmetric")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)
    return conv(padded)
