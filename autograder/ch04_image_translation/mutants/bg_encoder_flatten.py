"""The encoder flattens its 4 x 4 x 4F features instead of averaging them over the pixels."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_encoder"
MISTAKE = "The encoder flattens its 4 x 4 x 4F features instead of averaging them over the pixels."


def build_latent_encoder(z_dim=8, filters=16, channels=1):
    layers = keras.layers
    shoes = keras.Input((IMAGE_SIZE, IMAGE_SIZE, channels))
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(shoes)
    x = layers.LeakyReLU(0.2)(x)
    for width in (2 * filters, 4 * filters):
        x = layers.Conv2D(width, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.LeakyReLU(0.2)(instance_norm()(x))
    x = layers.Flatten()(x)
    mu = layers.Dense(z_dim)(x)
    log_var = layers.Dense(z_dim)(x)
    return keras.Model(shoes, [mu, log_var])
