"""No Flatten before the Dense layer: the 'code' is a 7 x 7 map of codes."""

import keras

PART = "encoder"
MISTAKE = (
    "the encoder applies Dense to the 7 x 7 feature map without Flatten, so it returns a "
    "(7, 7, latent_dim) map instead of one code per image."
)


def build_encoder(latent_dim, filters=32):
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(images)
    h = keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu")(h)
    return keras.Model(images, keras.layers.Dense(latent_dim)(h))
