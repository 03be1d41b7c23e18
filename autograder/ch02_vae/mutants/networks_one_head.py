"""One dense layer for both heads: logvar is the mean."""

import keras

PART = "vae_networks"
MISTAKE = (
    "the encoder uses one Dense layer for both outputs, so logvar always equals the mean; "
    "give mean and logvar a Dense layer each."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    h = keras.layers.Flatten()(h)
    head = keras.layers.Dense(latent_dim)
    mean = head(h)
    logvar = head(h)
    return keras.Model(images, [mean, logvar])
