"""Recipe: conditional GAN (chapter 4) on Fashion-MNIST images and their class labels.

Mirza and Osindero, "Conditional Generative Adversarial Nets" (2014), on chapter 3's DCGAN
with its non-saturating losses from logits. Both networks get the label: G([z, y]) draws an
image of class y, D([x, y]) judges the pair. Each training step is two updates, as in the
notebook's loop: the discriminator judges the real images with their own labels and G's
images with the labels they were drawn for (uniform over the classes), then the generator,
from new noise and new labels, is scored by D with the labels it was asked for; each update
changes only its own network. Networks and losses come from the chapter's reference module
(solutions/ch04_image_translation/cgan.py); `make_cgan_steps` is the students' TensorFlow
step, which the trainer does not use.

The chapter's quality measure is class consistency (the evaluator's accuracy on samples
against the labels asked for): `sample_labels` tells the trainer's evaluations which class each
sample was asked for, and `target` is the handed-in generator's bar on it.
"""

import functools
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import to_range

cgan = reference("ch04_image_translation", "cgan")


@dataclass(frozen=True)
class CGANConfig:
    z_dim: int = 64  # noise dimensions (the notebook's Z_DIM)
    num_classes: int = 10  # Fashion-MNIST's classes
    filters: int = 32  # F of the notebook's tables
    batch_size: int = 64  # global batch (the notebook's)
    learning_rate: float = 2e-4  # Adam, both networks (the notebook's setting)
    beta_1: float = 0.5  # Adam's first-moment decay (the notebook's setting)
    samples: int = 100  # images in a sample grid: 10 x 10, one row per class
    eval_samples: int = 5000  # samples for the evaluator at each evaluation; 0: none


@functools.cache
def fashion_mnist(split):
    images, labels = load_fashion_mnist(split)  # uint8 (N, 28, 28) and uint8 (N,)
    return images[..., None], labels  # loaded once


class CGANRecipe(Recipe):
    name = "cgan"
    Config = CGANConfig
    smoke = {"z_dim": 8, "filters": 4, "batch_size": 8, "samples": 10, "eval_samples": 0}
    # The handed-in generator's bar on class consistency (course_config.py,
    # cgan_class_consistency_min): the evaluations know the asked labels (sample_labels).
    target = ("class_consistency", 0.3, "at_least")

    def train_data(self):
        return fashion_mnist("train")  # (images, labels)

    def build_models(self):
        config = self.config
        return {
            "generator": cgan.build_conditional_generator(
                config.z_dim, config.num_classes, config.filters
            ),
            "discriminator": cgan.build_conditional_discriminator(
                config.num_classes, config.filters
            ),
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

    def _fake(self, models, batch, seed):
        """G's images of new noise and new labels, uniform over the classes, and the labels."""
        z = keras.random.normal((batch, self.config.z_dim), seed=seed)
        labels = keras.random.randint((batch,), 0, self.config.num_classes, seed=seed)
        return models["generator"]([z, labels], training=True), labels

    def d_loss(self, models, batch, seed):
        pixels, real_labels = batch
        real = to_range(pixels)  # (B, 28, 28, 1)
        real_labels = ops.cast(real_labels, "int32")  # (B,)
        fake, fake_labels = self._fake(models, ops.shape(real)[0], seed)
        real_logits = models["discriminator"]([real, real_labels], training=True)
        fake_logits = models["discriminator"]([fake, fake_labels], training=True)
        loss = cgan.discriminator_loss(
            ops.cast(real_logits, "float32"), ops.cast(fake_logits, "float32")
        )
        return {"d_loss": loss}

    def g_loss(self, models, batch, seed):
        pixels, _ = batch
        fake, fake_labels = self._fake(models, ops.shape(pixels)[0], seed)
        fake_logits = models["discriminator"]([fake, fake_labels], training=True)
        return {"g_loss": cgan.generator_loss(ops.cast(fake_logits, "float32"))}

    def sample_labels(self, n):
        """The classes sample() asks for: equal shares, in order (one grid row each)."""
        return np.arange(n) * self.config.num_classes // n

    def sample(self, models, n, seed):
        """n images in [0, 1] of the classes sample_labels(n) gives."""
        labels = ops.convert_to_tensor(self.sample_labels(n), "int32")
        z = keras.random.normal((n, self.config.z_dim), seed=seed)
        images = models["generator"]([z, labels], training=False)
        return (ops.cast(images, "float32") + 1.0) / 2.0


RECIPE = CGANRecipe
