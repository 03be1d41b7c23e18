"""build_resnet_generator always builds 3 residual blocks, whatever `blocks` says."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "resnet_generator"
MISTAKE = "build_resnet_generator always builds 3 residual blocks, whatever `blocks` says."


def residual_block(x, filters):
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    y = keras.layers.ReLU()(instance_norm()(y))
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = instance_norm()(y)
    return keras.layers.Add()([x, y])


def build_resnet_generator(filters=16, blocks=3, channels=1):
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = inputs
    for width, size, strides in ((filters, 7, 1), (2 * filters, 3, 2), (4 * filters, 3, 2)):
        x = keras.layers.Conv2D(width, size, strides=strides, padding="same", use_bias=False)(x)
        x = keras.layers.ReLU()(instance_norm()(x))
    for _ in range(3):
        x = residual_block(x, 4 * filters)
    for width in (2 * filters, filters):
        x = keras.layers.Conv2DTranspose(width, 3, strides=2, padding="same", use_bias=False)(x)
        x = keras.layers.ReLU()(instance_norm()(x))
    outputs = keras.layers.Conv2D(channels, 7, padding="same", activation="tanh")(x)
    return keras.Model(inputs, outputs)
