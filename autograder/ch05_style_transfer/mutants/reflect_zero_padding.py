"""reflect_conv pads with zeros (keras.ops.pad without mode="reflect", or a Conv2D with
padding="same") instead of by reflection."""

import keras

PART = "reflect_conv"
MISTAKE = (
    'reflect_conv pads with zeros (keras.ops.pad without mode="reflect", or a Conv2D with'
    ' padding="same") instead of by reflection.'
)


def reflect_conv(x, filters, activation="relu", name=None):
    conv = keras.layers.Conv2D(filters, 3, padding="same", activation=activation, name=name)
    return conv(x)
