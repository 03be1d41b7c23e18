"""The discriminator ends in a sigmoid, and the from-logits losses apply another one."""

import keras

PART = "dcgan_models"
MISTAKE = (
    "The discriminator ends in a sigmoid, but the losses take logits, so the sigmoid is "
    "applied twice; leave its last Dense layer without an activation."
)


def build_discriminator(filters=32):
    layers = keras.layers
    images = keras.Input(shape=(28, 28, 1))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(filters, 4, strides=2, padding="same")(images))
    x = layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    probabilities = layers.Dense(1, activation="sigmoid")(layers.Flatten()(x))
    return keras.Model(images, probabilities)
