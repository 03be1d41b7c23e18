"""kl_divergence sums over the batch too (the book's), so its weight grows with the batch size."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "bicycle_losses"
MISTAKE = (
    "kl_divergence sums over the batch too (the book's), so its weight grows with the batch size."
)


def kl_divergence(mu, log_var):
    per_dimension = keras.ops.exp(log_var) + keras.ops.square(mu) - 1.0 - log_var
    return 0.5 * keras.ops.sum(per_dimension)


def latent_regression_loss(z, mu):
    return keras.ops.mean(keras.ops.abs(z - mu))
