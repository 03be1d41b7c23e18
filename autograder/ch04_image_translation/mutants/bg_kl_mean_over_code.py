"""kl_divergence averages over the code's numbers instead of summing them."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "bicycle_losses"
MISTAKE = "kl_divergence averages over the code's numbers instead of summing them."


def kl_divergence(mu, log_var):
    per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return keras.ops.mean(0.5 * per_dimension)


def latent_regression_loss(z, mu):
    return keras.ops.mean(keras.ops.abs(z - mu))
