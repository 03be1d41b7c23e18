"""The generator has no output activation, so its pixels are unbounded."""

import keras

PART = "dcgan_models"
MISTAKE = (
    "The generator's last layer has no activation, so its pixels can leave [-1, 1]; end it "
    "with a tanh."
)


def build_generator(z_dim=100, filters=32):
    layers = keras.layers
    z = keras.Input(shape=(z_dim,))
    x = layers.Dense(7 * 7 * 2 * filters, use_bias=False)(z)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 2 * filters))(x)
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)
    return keras.Model(z, images)
