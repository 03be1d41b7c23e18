"""reflect_conv pads the batch and height axes ([[1, 1], [1, 1], [0, 0], [0, 0]]) instead of
height and width."""

import keras

PART = "reflect_conv"
MISTAKE = (
    "reflect_conv pads the batch and height axes ([[1, 1], [1, 1], [0, 0], [0, 0]]) "
    "instead of height and width."
)


def reflect_conv(x, filters, activation="relu", name=None):
    padded = keras.ops.pad(x, [[1, 1], [1, 1], [0, 0], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation, name=name)
    return conv(padded)
