"""A tiny two-player recipe for the trainer's own tests: what a GAN recipe asks of it.

Two updates per step with their own optimisers, noise drawn in both, a batch
normalisation whose moving statistics change inside the discriminator's update, and a
WGAN-GP-style gradient penalty, a gradient inside the loss. Its data are
4x4 random images, so it runs in a second on a CPU. Build it with ToyGAN().
"""

from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.training.autodiff import input_gradients
from igcourse.training.recipe import Recipe, Update

SIZE = 4


@dataclass(frozen=True)
class ToyConfig:
    batch_size: int = 8  # global batch
    noise: int = 4  # length of the generator's noise vector
    learning_rate: float = 1e-2  # both Adams
    samples: int = 4  # images in a sample grid
    eval_samples: int = 0  # samples handed to the evaluator at each evaluation
    penalty: float = 1.0  # weight of the gradient penalty on interpolated images


class ToyGAN(Recipe):
    name = "toy_gan"
    Config = ToyConfig

    def train_data(self):
        rng = np.random.default_rng(0)
        return (rng.uniform(0.5, 1.0, (64, SIZE, SIZE, 1)).astype(np.float32),)

    def build_models(self):
        generator = keras.Sequential(
            [
                keras.Input((self.config.noise,)),
                keras.layers.Dense(SIZE * SIZE, activation="sigmoid"),
                keras.layers.Reshape((SIZE, SIZE, 1)),
            ],
            name="generator",
        )
        discriminator = keras.Sequential(
            [
                keras.Input((SIZE, SIZE, 1)),
                keras.layers.Flatten(),
                keras.layers.Dense(8, use_bias=False),  # the normalisation removes a bias
                keras.layers.BatchNormalization(),
                keras.layers.ReLU(),
                keras.layers.Dense(1),
            ],
            name="discriminator",
        )
        return {"generator": generator, "discriminator": discriminator}

    def build_optimizers(self):
        rate = self.config.learning_rate
        return {"g": keras.optimizers.Adam(rate), "d": keras.optimizers.Adam(rate)}

    def updates(self):
        return (
            Update(self.d_loss, "d_loss", trains=("discriminator",), optimizer="d"),
            Update(self.g_loss, "g_loss", trains=("generator",), optimizer="g"),
        )

    def _fake(self, models, n, seed):
        noise = keras.random.normal((n, self.config.noise), seed=seed)
        return models["generator"](noise, training=True)

    def d_loss(self, models, batch, seed):
        (real,) = batch  # float32; the generator's images are bfloat16 in mixed precision
        fake = ops.cast(self._fake(models, ops.shape(real)[0], seed), real.dtype)
        real_logits = ops.cast(models["discriminator"](real, training=True), "float32")
        fake_logits = ops.cast(models["discriminator"](fake, training=True), "float32")
        loss = ops.mean(
            keras.losses.binary_crossentropy(
                ops.ones_like(real_logits), real_logits, from_logits=True
            )
        ) + ops.mean(
            keras.losses.binary_crossentropy(
                ops.zeros_like(fake_logits), fake_logits, from_logits=True
            )
        )
        # Gulrajani et al. (2017): the critic's gradient norm at points between real and fake.
        mix = keras.random.uniform((ops.shape(real)[0], 1, 1, 1), seed=seed)
        between = real + mix * (fake - real)
        grads = input_gradients(lambda x: models["discriminator"](x, training=True), between)
        norms = ops.sqrt(ops.sum(ops.square(ops.cast(grads, "float32")), axis=(1, 2, 3)) + 1e-12)
        penalty = ops.mean(ops.square(norms - 1.0))
        return {"d_loss": loss + self.config.penalty * penalty, "penalty": penalty}

    def g_loss(self, models, batch, seed):
        (real,) = batch
        fake = self._fake(models, ops.shape(real)[0], seed)
        logits = ops.cast(models["discriminator"](fake, training=True), "float32")
        loss = ops.mean(
            keras.losses.binary_crossentropy(ops.ones_like(logits), logits, from_logits=True)
        )
        return {"g_loss": loss}

    def sample(self, models, n, seed):
        noise = keras.random.normal((n, self.config.noise), seed=seed)
        return ops.cast(models["generator"](noise, training=False), "float32")
