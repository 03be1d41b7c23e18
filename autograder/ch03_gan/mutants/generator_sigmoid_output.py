"""The generator ends in a sigmoid, so its images lie in [0, 1] while the data is in [-1, 1]."""

import keras

PART = "dcgan_models"
MISTAKE = (
    "The generator ends in a sigmoid, whose images lie in [0, 1], while the data is scaled to "
    "[-1, 1]; end it with a tanh."
)


def build_generator(z_dim=100, filters=32):
    layers = keras.layers
    z = keras.Input(shape=(z_dim,))
    x = layers.Dense(7 * 7 * 2 * filters, use_bias=False)(z)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 2 * filters))(x)
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid")(x)
    return keras.Model(z, images)
