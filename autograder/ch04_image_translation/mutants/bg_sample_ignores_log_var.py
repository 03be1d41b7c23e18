"""sample_latent returns mu + noise: log_var never scales the noise."""

# ruff: noqa: F821 (names from the notebook)

PART = "latent_encoder"
MISTAKE = "sample_latent returns mu + noise: log_var never scales the noise."


def sample_latent(mu, log_var, noise):
    return mu + noise
