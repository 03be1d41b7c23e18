"""sample_latent draws its own noise of shape (1, z_dim) (the book's sampling layer) instead of
using the noise it is given."""

# ruff: noqa: F821 (names from the notebook)
import keras

PART = "latent_encoder"
NAMED_BY = "do not draw your own"
MISTAKE = (
    "sample_latent draws its own noise of shape (1, z_dim) (the book's sampling layer) "
    "instead of using the noise it is given."
)


def sample_latent(mu, log_var, noise):
    return mu + keras.ops.exp(0.5 * log_var) * keras.random.normal((1, mu.shape[-1]))
