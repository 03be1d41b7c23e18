"""Only one of the two transposed convolutions has stride 2, so images come out 14x14."""

import keras

PART = "dcgan_models"
MISTAKE = (
    "Only one transposed convolution upsamples (stride 2), so the images are 14x14; both "
    "upsample, 7 -> 14 -> 28."
)


def build_generator(z_dim=100, filters=32):
    layers = keras.layers
    z = keras.Input(shape=(z_dim,))
    x = layers.Dense(7 * 7 * 2 * filters, use_bias=False)(z)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 2 * filters))(x)
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    images = layers.Conv2DTranspose(1, 4, strides=1, padding="same", activation="tanh")(x)
    return keras.Model(z, images)
