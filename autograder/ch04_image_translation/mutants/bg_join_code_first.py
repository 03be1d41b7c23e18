"""join_latent puts the tiled code before the image's channels."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_injection"
MISTAKE = "join_latent puts the tiled code before the image's channels."


def tile_latent(z, height, width):
    z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)
    return keras.ops.tile(z, (1, height, width, 1))


def join_latent(images, z):
    height, width = images.shape[1], images.shape[2]
    return keras.ops.concatenate([tile_latent(z, height, width), images], axis=-1)
