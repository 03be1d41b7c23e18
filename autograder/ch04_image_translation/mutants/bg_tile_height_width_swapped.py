"""tile_latent repeats the code width times down and height times across: shape (B, width,
height, z_dim)."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_injection"
MISTAKE = (
    "tile_latent repeats the code width times down and height times across: shape (B, width, "
    "height, z_dim)."
)


def tile_latent(z, height, width):
    z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)
    return keras.ops.tile(z, (1, width, height, 1))


def join_latent(images, z):
    height, width = images.shape[1], images.shape[2]
    return keras.ops.concatenate([images, tile_latent(z, height, width)], axis=-1)
