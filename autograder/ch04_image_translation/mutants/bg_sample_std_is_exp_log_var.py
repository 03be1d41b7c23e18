"""sample_latent scales the noise by exp(log_var), the variance, instead of exp(log_var / 2),
the standard deviation."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_encoder"
MISTAKE = (
    "sample_latent scales the noise by exp(log_var), the variance, instead of exp(log_var / "
    "2), the standard deviation."
)


def sample_latent(mu, log_var, noise):
    return mu + keras.ops.exp(log_var) * noise
