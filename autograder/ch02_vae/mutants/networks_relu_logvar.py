"""A ReLU on the log-variance head: the variance can never drop below 1."""

import keras

PART = "vae_networks"
MISTAKE = (
    "the logvar head has a ReLU activation, so logvar >= 0 and the encoder can never be "
    "more certain than the prior; the heads need no activation."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    h = keras.layers.Flatten()(h)
    mean = keras.layers.Dense(latent_dim)(h)
    logvar = keras.layers.Dense(latent_dim, activation="relu")(h)
    return keras.Model(images, [mean, logvar])
