"""join_latent adds the code's mean to every pixel instead of joining the code as channels of
its own."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_injection"
MISTAKE = (
    "join_latent adds the code's mean to every pixel instead of joining the code as channels "
    "of its own."
)


def tile_latent(z, height, width):
    z = keras.ops.expand_dims(keras.ops.expand_dims(z, 1), 1)
    return keras.ops.tile(z, (1, height, width, 1))


def join_latent(images, z):
    return images + keras.ops.mean(z, axis=-1)[:, None, None, None]
