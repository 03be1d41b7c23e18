"""Recipe: DCGAN (chapter 3) on Fashion-MNIST, non-saturating GAN losses from logits.

Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional
Generative Adversarial Networks" (2016), with the non-saturating generator loss of Goodfellow
et al. (2014). Each training step is two updates: the discriminator on its own loss, then the
generator on its own, each changing only its own network. Networks and losses come from the
chapter's reference module (solutions/ch03_gan/dcgan.py).
"""

import functools
from dataclasses import dataclass

import keras
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import to_range

dcgan = reference("ch03_gan", "dcgan")


@dataclass(frozen=True)
class DCGANConfig:
    z_dim: int = 100  # noise dimensions
    filters: int = 32  # F of the notebook's tables
    batch_size: int = 64  # global batch
    learning_rate: float = 2e-4  # Adam, both networks (DCGAN's setting)
    beta_1: float = 0.5  # Adam's first-moment decay (DCGAN's setting)
    samples: int = 64  # images in a sample grid
    eval_samples: int = 5000  # samples for the evaluator at each evaluation; 0: none


@functools.cache
def fashion_mnist(split):
    return load_fashion_mnist(split)[0][..., None]  # (N, 28, 28, 1) uint8, loaded once


class DCGANRecipe(Recipe):
    name = "dcgan"
    Config = DCGANConfig
    smoke = {"z_dim": 8, "filters": 4, "batch_size": 8, "samples": 4, "eval_samples": 0}
    # The grading threshold on the handed-in generator (course_config.py, RESULTS.md).
    target = ("fd", 200.0)

    def train_data(self):
        return (fashion_mnist("train"),)

    def build_models(self):
        return {
            "generator": dcgan.build_generator(self.config.z_dim, self.config.filters),
            "discriminator": dcgan.build_discriminator(self.config.filters),
        }

    def build_optimizers(self):
        adam = functools.partial(
            keras.optimizers.Adam, self.config.learning_rate, beta_1=self.config.beta_1
        )
        return {"g_adam": adam(), "d_adam": adam()}

    def updates(self):
        return (
            Update(self.d_loss, "d_loss", trains=("discriminator",), optimizer="d_adam"),
            Update(self.g_loss, "g_loss", trains=("generator",), optimizer="g_adam"),
        )

    def _noise(self, batch, seed):
        return keras.random.normal((batch, self.config.z_dim), seed=seed)

    def d_loss(self, models, batch, seed):
        (pixels,) = batch
        real = to_range(pixels)  # (B, 28, 28, 1)
        fake = models["generator"](self._noise(ops.shape(real)[0], seed), training=True)
        real_logits = ops.cast(models["discriminator"](real, training=True), "float32")
        fake_logits = ops.cast(models["discriminator"](fake, training=True), "float32")
        return {"d_loss": dcgan.discriminator_loss(real_logits, fake_logits)}

    def g_loss(self, models, batch, seed):
        (pixels,) = batch
        fake = models["generator"](self._noise(ops.shape(pixels)[0], seed), training=True)
        fake_logits = ops.cast(models["discriminator"](fake, training=True), "float32")
        return {"g_loss": dcgan.generator_loss(fake_logits)}

    def sample(self, models, n, seed):
        """n images in [0, 1] from noise N(0, I)."""
        images = models["generator"](self._noise(n, seed), training=False)
        return (ops.cast(images, "float32") + 1.0) / 2.0


RECIPE = DCGANRecipe
