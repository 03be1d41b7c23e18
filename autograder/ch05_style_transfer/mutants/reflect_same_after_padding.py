"""reflect_conv convolves the padded input with padding="same" instead of "valid": the output
grows by two pixels."""

import keras

PART = "reflect_conv"
MISTAKE = (
    'reflect_conv convolves the padded input with padding="same" instead of "valid": the '
    "output grows by two pixels."
)


def reflect_conv(x, filters, activation="relu", name=None):
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="same", activation=activation, name=name)
    return conv(padded)
