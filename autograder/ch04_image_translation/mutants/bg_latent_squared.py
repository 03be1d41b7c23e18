"""latent_regression_loss is the mean squared difference, not the mean absolute one."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "bicycle_losses"
MISTAKE = "latent_regression_loss is the mean squared difference, not the mean absolute one."


def kl_divergence(mu, log_var):
    per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(0.5 * keras.ops.sum(per_dimension, axis=-1))


def latent_regression_loss(z, mu):
    return keras.ops.mean(keras.ops.square(z - mu))
