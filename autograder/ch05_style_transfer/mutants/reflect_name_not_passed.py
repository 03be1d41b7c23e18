"""reflect_conv does not pass its name to the Conv2D."""

import keras

PART = "reflect_conv"
MISTAKE = "reflect_conv does not pass its name to the Conv2D."
NAMED_BY = "pass name to Conv2D"


def reflect_conv(x, filters, activation="relu", name=None):
    padded = keras.ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    conv = keras.layers.Conv2D(filters, 3, padding="valid", activation=activation)
    return conv(padded)
