"""The logvar head reads the mean instead of the features."""

import keras

PART = "vae_networks"
MISTAKE = (
    "the encoder's logvar Dense layer takes the mean as its input instead of the flattened "
    "features; both heads read the features."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    features = keras.layers.Flatten()(h)
    mean = keras.layers.Dense(latent_dim)(features)
    logvar = keras.layers.Dense(latent_dim)(mean)
    return keras.Model(images, [mean, logvar])
