"""Batch normalisation after the discriminator's first convolution too."""

import keras

PART = "dcgan_models"
MISTAKE = (
    "The discriminator normalises the output of its first convolution as well; DCGAN leaves "
    "the first layer of the discriminator without batch normalisation."
)


def build_discriminator(filters=32):
    layers = keras.layers
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(images, logits)
