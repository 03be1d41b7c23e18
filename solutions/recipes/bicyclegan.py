"""Recipe: BicycleGAN (chapter 4) on the offline edges-to-shoes pairs.

Zhu et al., "Toward Multimodal Image-to-Image Translation" (2017): a U-Net generator G(a, z)
with the code z tiled and joined to the drawing, an encoder E(b) -> (mu, log_var), and two
PatchGANs with least-squares losses, D_VAE for the shoes drawn from encoded codes (cVAE-GAN)
and D_LR for those drawn from random codes (cLR-GAN). Networks, losses, `sample_latent` and
`join_latent` come from the chapter's reference module
(solutions/ch04_image_translation/bicyclegan.py), with the notebook's settings.

One step is two updates, in the notebook's order: the generator with the encoder, then both
discriminators against that step's shoes drawn again by the updated generator (a second
forward pass; the notebook hands the generator step's shoes over). The notebook's step takes
two gradients, the generator's of total + latent_weight * latent and the encoder's of total
alone; a trainer update minimises one objective, so the latent regression reads the shoe
with the encoder's weights behind `ops.stop_gradient` (`Model.stateless_call`): its gradient
reaches the generator through the shoe and never the encoder's weights, which is the same
pair of gradients. The step seed draws the noise of the reparameterisation and the random
codes.

The chapter's quality measures are the handed-in generator's diversity (the distance between
two codes' shoes for one drawing, in the evaluator's features) and fidelity (the evaluator's
share of shoes of the drawing's class): `sample` draws the first test drawings with random
codes and `sample_labels` gives their shoes' classes, so the evaluations' class consistency is
the fidelity; `test_metrics` is the cVAE reconstruction (mean |b - G(a, mu(b))| in [-1, 1]) and
the pixel distance between two codes' shoes. `target` is the bar on fidelity
(course_config.py, bicyclegan_fidelity_min).
"""

import functools
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.data.derived import build_edges2shoes
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import for_the_evaluator, to_range

bicyclegan = reference("ch04_image_translation", "bicyclegan")


@dataclass(frozen=True)
class BicycleGANConfig:
    z_dim: int = 8  # numbers in a code (the paper's, the book's and the notebook's)
    filters: int = 16  # F of the notebook's networks
    channels: int = 1  # grey drawings and shoes
    batch_size: int = 32  # the notebook's
    learning_rate: float = 2e-4  # Adam, each pair of networks (the notebook's setting)
    beta_1: float = 0.5  # Adam's first-moment decay (the notebook's setting)
    image_weight: float = 10.0  # the cVAE-GAN's L1 to the real shoe
    kl_weight: float = 0.01  # the KL term
    latent_weight: float = 0.5  # the latent regression (the generator's only)
    samples: int = 64  # shoes in a sample grid
    eval_samples: int = 1000  # test drawings drawn with random codes for the evaluator; 0: none
    eval_batches: int = 30  # held-out batches for the test metrics (960 pairs at batch 32)


@functools.cache
def edges_to_shoes(split):
    """(drawings, shoes) as uint8 (N, 32, 32, 1), and the shoes' classes; built once."""
    pairs = build_edges2shoes(split, size=bicyclegan.IMAGE_SIZE)
    return pairs.edges[..., None], pairs.shoes[..., None], pairs.labels


def frozen_mean(encoder, images):
    """The encoder's mu for `images`, with its weights behind stop_gradient: a loss of it sends
    gradients into the images (and what made them), never into the encoder's weights."""
    weights = [ops.stop_gradient(v.value) for v in encoder.trainable_variables]
    others = [v.value for v in encoder.non_trainable_variables]
    (mu, _log_var), _others = encoder.stateless_call(weights, others, images, training=True)
    return mu


class BicycleGANRecipe(Recipe):
    name = "bicyclegan"
    Config = BicycleGANConfig
    smoke = {"z_dim": 2, "filters": 2, "batch_size": 4, "samples": 4, "eval_samples": 0}
    # The handed-in generator's bar on fidelity (course_config.py, bicyclegan_fidelity_min);
    # diversity's is 4.0 in the evaluator's features (bicyclegan_diversity_min).
    target = ("class_consistency", 0.45, "at_least")

    def train_data(self):
        drawings, shoes, _labels = edges_to_shoes("train")
        return drawings, shoes

    def test_data(self):
        drawings, shoes, _labels = edges_to_shoes("test")
        return drawings, shoes

    def build_models(self):
        config = self.config
        critic = functools.partial(bicyclegan.build_discriminator, config.filters, config.channels)
        return {
            "generator": bicyclegan.build_bicycle_generator(
                config.z_dim, config.filters, config.channels
            ),
            "encoder": bicyclegan.build_latent_encoder(
                config.z_dim, config.filters, config.channels
            ),
            "d_vae": critic(),
            "d_lr": critic(),
        }

    def build_optimizers(self):
        adam = functools.partial(
            keras.optimizers.Adam, self.config.learning_rate, beta_1=self.config.beta_1
        )
        return {"g_adam": adam(), "d_adam": adam()}

    def updates(self):
        return (
            Update(self.g_loss, "g_loss", trains=("generator", "encoder"), optimizer="g_adam"),
            Update(self.d_loss, "d_loss", trains=("d_vae", "d_lr"), optimizer="d_adam"),
        )

    def _codes(self, batch, seed):
        """The reparameterisation's noise and the random codes of this step."""
        shape = (ops.shape(batch[0])[0], self.config.z_dim)
        return keras.random.normal(shape, seed=seed), keras.random.normal(shape, seed=seed)

    def _shoes(self, models, batch, seed):
        """Both paths' shoes: (drawings, real shoes, mu, log_var, random codes, fake_vae,
        fake_lr), images in [-1, 1]."""
        drawings, shoes = (to_range(images) for images in batch)
        noise, random_z = self._codes(batch, seed)
        mu, log_var = models["encoder"](shoes, training=True)
        z = bicyclegan.sample_latent(mu, log_var, noise)
        fake_vae = models["generator"]([drawings, z], training=True)
        fake_lr = models["generator"]([drawings, random_z], training=True)
        return drawings, shoes, mu, log_var, random_z, fake_vae, fake_lr

    def g_loss(self, models, batch, seed):
        config = self.config
        _drawings, shoes, mu, log_var, random_z, fake_vae, fake_lr = self._shoes(
            models, batch, seed
        )
        adversarial = bicyclegan.lsgan_generator_loss(
            ops.cast(models["d_vae"](fake_vae, training=True), "float32")
        ) + bicyclegan.lsgan_generator_loss(
            ops.cast(models["d_lr"](fake_lr, training=True), "float32")
        )
        image = ops.mean(ops.abs(shoes - ops.cast(fake_vae, "float32")))
        kl = bicyclegan.kl_divergence(ops.cast(mu, "float32"), ops.cast(log_var, "float32"))
        total = adversarial + config.image_weight * image + config.kl_weight * kl
        latent = bicyclegan.latent_regression_loss(
            random_z, ops.cast(frozen_mean(models["encoder"], fake_lr), "float32")
        )
        return {
            "g_loss": total + config.latent_weight * latent,
            "total": total,
            "latent": latent,
            "kl": kl,
        }

    def d_loss(self, models, batch, seed):
        _drawings, shoes, _mu, _log_var, _z, fake_vae, fake_lr = self._shoes(models, batch, seed)
        losses = {}
        for name, fake in (("d_vae", fake_vae), ("d_lr", fake_lr)):
            critic = models[name]
            losses[f"{name}_loss"] = bicyclegan.lsgan_discriminator_loss(
                ops.cast(critic(shoes, training=True), "float32"),
                ops.cast(critic(ops.stop_gradient(fake), training=True), "float32"),
            )
        return {"d_loss": losses["d_vae_loss"] + losses["d_lr_loss"], **losses}

    def test_metrics(self, models, batch, seed):
        drawings, shoes = (to_range(images) for images in batch)
        mu, _log_var = models["encoder"](shoes, training=False)
        rebuilt = ops.cast(models["generator"]([drawings, mu], training=False), "float32")
        first, second = (
            ops.cast(models["generator"]([drawings, code], training=False), "float32")
            for code in self._codes(batch, seed)
        )
        return {
            "test_reconstruction": ops.mean(ops.abs(shoes - rebuilt)),
            "test_code_distance": ops.mean(ops.abs(first - second)),
        }

    def sample_labels(self, n):
        """The classes of the shoes whose drawings sample() draws: the first n of the test
        split."""
        return np.asarray(edges_to_shoes("test")[2][:n], np.int64)

    def sample(self, models, n, seed):
        """The first n test drawings, each with a random code, in [0, 1] at the evaluator's
        28 x 28 (area averaging, as the hidden check measures them)."""
        drawings = to_range(edges_to_shoes("test")[0][:n])
        codes = keras.random.normal((n, self.config.z_dim), seed=seed)
        return for_the_evaluator(models["generator"]([drawings, codes], training=False))


RECIPE = BicycleGANRecipe
