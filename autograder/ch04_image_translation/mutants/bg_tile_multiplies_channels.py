"""tile_latent tiles z of shape (B, 1, 1, z_dim) with multiples [1, height, width, z_dim] (the
book's), giving z_dim * z_dim channels."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_injection"
MISTAKE = (
    "tile_latent tiles z of shape (B, 1, 1, z_dim) with multiples [1, height, width, z_dim] "
    "(the book's), giving z_dim * z_dim channels."
)


def tile_latent(z, height, width):
    z = keras.ops.reshape(z, (-1, 1, 1, z.shape[-1]))
    return keras.ops.tile(z, (1, height, width, z.shape[-1]))


def join_latent(images, z):
    height, width = images.shape[1], images.shape[2]
    return keras.ops.concatenate([images, tile_latent(z, height, width)], axis=-1)
