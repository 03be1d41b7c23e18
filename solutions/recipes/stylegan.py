"""Recipe: StyleGAN (chapter 7) on Fashion-MNIST padded to 32 x 32.

Karras, Laine and Aila, "A Style-Based Generator Architecture for Generative Adversarial
Networks" (2019): a mapping network turns z into a style w (its equalised dense layers learn 100
times slower), a synthesis network grows an image from a learned constant, each of its eight
layers adding noise scaled by learned per-channel strengths and taking w through AdaIN; the
critic is trained on the non-saturating logistic loss with the R1 penalty
gamma / 2 * mean_b ||grad_x D(x_b)||^2 at the real images, the generator on
mean softplus(-D(G(z))). The networks (MappingNetwork, StyleGenerator, make_critic, broadcast_w)
come from the chapter's reference module (solutions/ch07_face_generation/stylegan.py), with the
notebook's settings: Adam(2e-3, beta_1 0, beta_2 0.99, epsilon 1e-8) for both updates, batch 32,
gamma 1, z and w of 64 numbers, F = 32, four mapping layers. Data: Fashion-MNIST's items with a
black border of two pixels (32 x 32), in [-1, 1] inside the losses.

One step is the notebook's make_stylegan_step as two updates: the critic, then the mapping and
synthesis networks together (one objective, one optimiser), against the updated critic. What
differs from the notebook, and why:
- The losses are written here in keras.ops: the reference has them only inside
  make_stylegan_step, TensorFlow code (tf.function, tf.GradientTape, tf.nn.softplus) that JAX
  cannot run. `r1_penalty` takes the critic's input gradients with
  igcourse.training.autodiff.input_gradients (a nested tape on TensorFlow, jax.vjp on JAX), as
  wgan_gp.py does; tests/test_training_recipe_stylegan.py checks that one trainer step gives the
  losses and the weights of make_stylegan_step from the same weights and draws.
- The noise: the notebook's step lets each NoiseInjection draw its map from its own
  keras.random.SeedGenerator, whose state would not follow the trainer's step seeds (nor a
  resume). Each update draws z, then the eight noise maps (B, r_i, r_i, 1), r_i =
  layer_resolution(i), from the step seed, and passes them as `noise=`; in the networks' compute
  dtype, so that mixed bfloat16 adds them to bfloat16 features.
- The mean style w_avg: the notebook tracks it after every step (a moving average, decay
  0.995), which would change a variable by hand beside the optimisers; only truncation reads it,
  and the grader measures untruncated items. `hand_in` sets it to the mean of mapping(z) over
  10,000 z of N(0, I) instead.
- Evaluations: `sample` gives untruncated items from z of N(0, I), the border cropped to 28 x 28
  and mapped to [0, 1], as the notebook's `generate` does; `eval_samples` is 1,000, the items
  the grader measures, so that the Frechet distance compares with the bar (`target`, the
  handed-in StyleGAN's fd bar in course_config.py).
- Handed-in files: the trainer has no hook for them. `hand_in(out, folder)` writes the
  notebook's two files from a run's latest checkpoint: stylegan.weights.h5 (the notebook's
  `StyleGAN` wrapper of the mapping and synthesis networks and w_avg) and stylegan.json (the
  settings build_trained_stylegan takes).
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import Recipe, Update, reference
from igcourse.training.autodiff import input_gradients
from igcourse.training.pixels import to_range

stylegan = reference("ch07_face_generation", "stylegan")

BORDER = 2  # black pixels added on each side: 28 x 28 -> 32 x 32, as the notebook pads
HANDED_IN_WEIGHTS = "stylegan.weights.h5"
HANDED_IN_SETTINGS = "stylegan.json"
MEAN_STYLE_SAMPLES = 10_000  # z averaged through the mapping network for w_avg


@dataclass(frozen=True)
class StyleGANConfig:
    latent_dim: int = 64  # numbers in z and in w
    filters: int = 32  # F: the synthesis network's channels (the critic's first convolution)
    mapping_layers: int = 4  # dense layers of the mapping network
    batch_size: int = 32  # the notebook's
    learning_rate: float = 2e-3  # Adam, both updates
    beta_1: float = 0.0  # Adam's first-moment decay
    beta_2: float = 0.99  # Adam's second-moment decay
    epsilon: float = 1e-8  # Adam's epsilon
    r1_gamma: float = 1.0  # gamma of the R1 penalty
    samples: int = 64  # images in a sample grid
    eval_samples: int = 1000  # samples for the evaluator (the grader's 1,000); 0: none


@functools.cache
def fashion_mnist(split):
    """(N, 32, 32, 1) uint8: the items with a black border of BORDER pixels, loaded once."""
    images = load_fashion_mnist(split)[0]
    pad = ((0, 0), (BORDER, BORDER), (BORDER, BORDER))
    return np.pad(images, pad)[..., None]  # 0 is black: -1 in [-1, 1], the notebook's border


def noise_maps(n, seed, dtype="float32"):
    """The synthesis network's eight noise maps (n, r_i, r_i, 1), drawn from `seed` in order."""
    maps = []
    for index in range(stylegan.NUM_STYLES):
        side = stylegan.layer_resolution(index)
        maps.append(keras.random.normal((n, side, side, 1), seed=seed, dtype=dtype))
    return maps


def r1_penalty(critic, real_images):
    """mean_b ||grad_x D(x_b)||^2 at the real images (per sample, summed over the pixels), a
    float32 scalar: the reference step's r1, without its gamma / 2."""

    def scores(x):
        return ops.cast(critic(x, training=True), "float32")

    slopes = ops.cast(input_gradients(scores, ops.convert_to_tensor(real_images)), "float32")
    return ops.mean(ops.sum(ops.square(slopes), axis=(1, 2, 3)))


def handed_in_settings(config):
    """stylegan.json: the settings build_trained_stylegan(**settings) takes."""
    return {
        "latent_dim": config.latent_dim,
        "filters": config.filters,
        "mapping_layers": config.mapping_layers,
    }


def mean_style(mapping, count=MEAN_STYLE_SAMPLES, seed=0):
    """The mean of mapping(z) over `count` z of N(0, I): (latent_dim,) float32."""
    z = np.random.default_rng(seed).standard_normal((count, mapping.latent_dim))
    w = ops.convert_to_numpy(mapping(z.astype(np.float32)))
    return w.astype(np.float32).mean(axis=0)


def hand_in(out, folder):
    """Write the notebook's two handed-in files into `folder` from run `out`'s latest
    checkpoint: the StyleGAN wrapper (mapping, synthesis network, w_avg = mean_style) as
    stylegan.weights.h5 and its settings as stylegan.json. Returns the two paths."""
    from igcourse.training import checkpoint

    out, folder = Path(out), Path(folder)
    latest = checkpoint.latest(out)
    if latest is None:
        raise FileNotFoundError(f"no checkpoint in {out}")
    config = StyleGANConfig(**json.loads((out / "config.json").read_text())["recipe_config"])
    settings = handed_in_settings(config)
    model = stylegan.build_trained_stylegan(**settings)
    model.mapping.load_weights(latest / "mapping.weights.h5")
    model.generator.load_weights(latest / "generator.weights.h5")
    model.w_avg.assign(mean_style(model.mapping))
    folder.mkdir(parents=True, exist_ok=True)
    weights, settings_file = folder / HANDED_IN_WEIGHTS, folder / HANDED_IN_SETTINGS
    model.save_weights(weights)
    settings_file.write_text(json.dumps(settings))
    return weights, settings_file


class StyleGANRecipe(Recipe):
    name = "stylegan"
    Config = StyleGANConfig
    smoke = {
        "latent_dim": 8,
        "filters": 4,
        "mapping_layers": 2,
        "batch_size": 4,
        "samples": 4,
        "eval_samples": 0,
    }
    # The handed-in StyleGAN's bar (course_config.py, stylegan_fd_max): the notebook's quick
    # mode (800 steps) measures FD 45 to 48 on 1,000 items, untrained networks 190 to 203.
    target = ("fd", 120.0)
    # On the CPU a plain tf.function trains the notebook's networks (batch 32) at 284 images/s
    # after a 2.8 s first step, XLA at 213 after 8.4 s (2026-12-07, 2 shared cores, load 2.4);
    # on a GPU the JAX backend runs it.
    tf_compile = "graph"

    def train_data(self):
        return (fashion_mnist("train"),)

    def build_models(self):
        config = self.config
        mapping = stylegan.MappingNetwork(latent_dim=config.latent_dim, depth=config.mapping_layers)
        generator = stylegan.StyleGenerator(latent_dim=config.latent_dim, filters=config.filters)
        z = np.zeros((1, config.latent_dim), np.float32)
        silent = [
            ops.zeros((1, side, side, 1), generator.compute_dtype)
            for side in map(stylegan.layer_resolution, range(stylegan.NUM_STYLES))
        ]
        generator(stylegan.broadcast_w(mapping(z)), noise=silent)  # built, no seed drawn
        return {
            "mapping": mapping,
            "generator": generator,
            "critic": stylegan.make_critic(config.filters),
        }

    def build_optimizers(self):
        config = self.config

        def adam():
            return keras.optimizers.Adam(
                config.learning_rate,
                beta_1=config.beta_1,
                beta_2=config.beta_2,
                epsilon=config.epsilon,
            )

        return {"g_adam": adam(), "c_adam": adam()}

    def updates(self):
        return (
            Update(self.c_loss, "c_loss", trains=("critic",), optimizer="c_adam"),
            Update(self.g_loss, "g_loss", trains=("mapping", "generator"), optimizer="g_adam"),
        )

    def fakes(self, models, n, seed, training=True):
        """n images from z of N(0, I) and the step's noise maps (drawn after z, in order)."""
        z = keras.random.normal((n, self.config.latent_dim), seed=seed)
        ws = stylegan.broadcast_w(models["mapping"](z, training=training))
        generator = models["generator"]
        noise = noise_maps(n, seed, generator.compute_dtype)
        return generator(ws, noise=noise, training=training)

    def c_loss(self, models, batch, seed):
        (pixels,) = batch
        real = to_range(pixels)  # (B, 32, 32, 1)
        critic = models["critic"]
        fake = ops.stop_gradient(ops.cast(self.fakes(models, ops.shape(real)[0], seed), "float32"))
        real_scores = ops.cast(critic(real, training=True), "float32")
        fake_scores = ops.cast(critic(fake, training=True), "float32")
        logistic = ops.mean(ops.softplus(fake_scores)) + ops.mean(ops.softplus(-real_scores))
        r1 = r1_penalty(critic, real)
        return {
            "c_loss": logistic + 0.5 * self.config.r1_gamma * r1,
            "c_logistic": logistic,
            "r1": r1,
        }

    def g_loss(self, models, batch, seed):
        (pixels,) = batch
        fake = self.fakes(models, ops.shape(pixels)[0], seed)
        scores = ops.cast(models["critic"](fake, training=True), "float32")
        return {"g_loss": ops.mean(ops.softplus(-scores))}

    def sample(self, models, n, seed):
        """n untruncated items in [0, 1], the border cropped: (n, 28, 28, 1), as `generate`."""
        images = ops.cast(self.fakes(models, n, seed, training=False), "float32")
        inner = images[:, BORDER : 32 - BORDER, BORDER : 32 - BORDER]
        return ops.clip((inner + 1.0) / 2.0, 0.0, 1.0)


RECIPE = StyleGANRecipe
