"""The encoder's convolutions without their ReLU: a linear encoder."""

import keras

PART = "vae_networks"
MISTAKE = (
    "the encoder's convolutions have no ReLU, so mean and logvar are linear functions of the image."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same")(h)
    h = keras.layers.Flatten()(h)
    mean = keras.layers.Dense(latent_dim)(h)
    logvar = keras.layers.Dense(latent_dim)(h)
    return keras.Model(images, [mean, logvar])
