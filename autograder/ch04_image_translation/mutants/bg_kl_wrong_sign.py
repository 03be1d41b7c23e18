"""kl_divergence has the wrong sign: 0.5 * sum(1 + log_var - mu^2 - exp(log_var)), the negative
KL."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "bicycle_losses"
MISTAKE = (
    "kl_divergence has the wrong sign: 0.5 * sum(1 + log_var - mu^2 - exp(log_var)), the "
    "negative KL."
)


def kl_divergence(mu, log_var):
    per_dimension = 1.0 + log_var - keras.ops.square(mu) - keras.ops.exp(log_var)
    return keras.ops.mean(0.5 * keras.ops.sum(per_dimension, axis=-1))


def latent_regression_loss(z, mu):
    return keras.ops.mean(keras.ops.abs(z - mu))
