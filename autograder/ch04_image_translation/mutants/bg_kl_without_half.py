"""kl_divergence leaves out the factor 1/2."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "bicycle_losses"
MISTAKE = "kl_divergence leaves out the factor 1/2."


def kl_divergence(mu, log_var):
    per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(keras.ops.sum(per_dimension, axis=-1))


def latent_regression_loss(z, mu):
    return keras.ops.mean(keras.ops.abs(z - mu))
