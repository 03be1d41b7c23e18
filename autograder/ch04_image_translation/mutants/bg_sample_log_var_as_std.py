"""sample_latent multiplies the noise by log_var itself, as if it were the standard deviation."""

# ruff: noqa: F821 (names from the notebook)

PART = "latent_encoder"
MISTAKE = (
    "sample_latent multiplies the noise by log_var itself, as if it were the standard deviation."
)


def sample_latent(mu, log_var, noise):
    return mu + log_var * noise
