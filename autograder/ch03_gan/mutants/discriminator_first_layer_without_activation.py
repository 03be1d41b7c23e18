"""The discriminator's first convolution has no LeakyReLU: same shapes, same parameters."""

import keras

PART = "dcgan_models"
MISTAKE = (
    "The discriminator's first convolution is not followed by a LeakyReLU(0.2), so the first "
    "two convolutions compose into one linear map; follow each convolution with its activation."
)


def build_discriminator(filters=32):
    layers = keras.layers
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(images)
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(images, logits)
