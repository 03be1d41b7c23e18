"""Recipe: the convolutional VAE (chapter 2) on Fashion-MNIST, trained on the negative ELBO.

Kingma and Welling, "Auto-Encoding Variational Bayes" (2014): the encoder predicts a Gaussian
q(z | x) = N(mean, exp(logvar)), a code drawn with the reparameterisation trick is decoded into
Bernoulli means, and training minimises the binary cross-entropy summed over pixels plus the
closed-form KL to N(0, I). Networks and loss come from the chapter's reference module.
"""

import functools
from dataclasses import dataclass

import keras
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import Recipe, Update, reference

vae = reference("ch02_vae", "vae")


@dataclass(frozen=True)
class VAEConfig:
    latent_dim: int = 16  # size of the code z
    filters: int = 32  # F of the networks' table (F and 2F channels)
    batch_size: int = 128  # global batch
    learning_rate: float = 1e-3  # Adam
    samples: int = 64  # images in a sample grid
    eval_batches: int = 10  # test batches averaged for the test negative ELBO
    eval_samples: int = 1000  # prior samples for the evaluator at each evaluation; 0: none


@functools.cache
def fashion_mnist(split):
    return load_fashion_mnist(split)[0][..., None]  # (N, 28, 28, 1) uint8, loaded once


class VAERecipe(Recipe):
    name = "vae"
    Config = VAEConfig
    smoke = {
        "filters": 4,
        "latent_dim": 2,
        "batch_size": 8,
        "samples": 4,
        "eval_batches": 1,
        "eval_samples": 0,
    }
    # The grading threshold (course_config.py, solutions/ch02_vae/RESULTS.md).
    target = ("test_negative_elbo", 280.0)

    def train_data(self):
        return (fashion_mnist("train"),)

    def test_data(self):
        return (fashion_mnist("test"),)

    def build_models(self):
        return {
            "encoder": vae.build_encoder(self.config.latent_dim, self.config.filters),
            "decoder": vae.build_decoder(self.config.latent_dim, self.config.filters),
        }

    def build_optimizers(self):
        return {"adam": keras.optimizers.Adam(self.config.learning_rate)}

    def updates(self):
        return (Update(self.loss, "loss", trains=("encoder", "decoder"), optimizer="adam"),)

    def _terms(self, models, batch, seed, training):
        (pixels,) = batch
        images = ops.cast(pixels, "float32") / 255.0  # (B, 28, 28, 1) in [0, 1]
        mean, logvar = models["encoder"](images, training=training)
        mean, logvar = ops.cast(mean, "float32"), ops.cast(logvar, "float32")
        # The reparameterisation with the trainer's step seed (GaussianSampling keeps a
        # SeedGenerator variable, which a compiled, resumable step must not own).
        epsilon = keras.random.normal(ops.shape(mean), seed=seed)
        z = mean + ops.exp(0.5 * logvar) * epsilon
        reconstructions = ops.cast(models["decoder"](z, training=training), "float32")
        return vae.vae_loss(images, reconstructions, mean, logvar)

    def loss(self, models, batch, seed):
        loss, reconstruction, kl = self._terms(models, batch, seed, training=True)
        return {"loss": loss, "reconstruction": reconstruction, "kl": kl}

    def test_metrics(self, models, batch, seed):
        loss, reconstruction, kl = self._terms(models, batch, seed, training=False)
        return {"test_negative_elbo": loss, "test_reconstruction": reconstruction, "test_kl": kl}

    def sample(self, models, n, seed):
        """n decodings of codes drawn from the prior N(0, I)."""
        z = keras.random.normal((n, self.config.latent_dim), seed=seed)
        return ops.cast(models["decoder"](z, training=False), "float32")


RECIPE = VAERecipe
