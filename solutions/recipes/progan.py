"""Recipe: ProGAN (chapter 7) on Fashion-MNIST padded to 32 x 32, one stage per run.

Karras, Aila, Laine and Lehtinen, "Progressive Growing of GANs for Improved Quality, Stability,
and Variation" (2018): both networks grow a block at a time, from 4 x 4 to 32 x 32 here (four
stages); each new block fades in, its output blended with the previous stage's upsampled by an
alpha that rises from 0 to 1, then trains stable at alpha 1. Pixel norm, the minibatch standard
deviation and the equalised learning rate are in the networks; the critic is trained on WGAN-GP
(a per-sample penalty, weight 10) plus a drift of 0.001 x mean(real score ** 2), the generator on
-mean(D(G(z))). The networks and losses (ProGenerator, ProDiscriminator, progan_critic_loss,
progan_generator_loss, build_trained_generator) come from the chapter's reference module
(solutions/ch07_face_generation/progan.py), with the notebook's settings: z of 64 numbers, F = 16
(64, 64, 32 and 16 channels at 4, 8, 16 and 32 pixels), batch 32, Adam(1e-3, beta_1 0, beta_2
0.99, epsilon 1e-8) for both updates, new for each stage. Data: Fashion-MNIST's items with a black
border of two pixels (32 x 32, in [-1, 1] inside the losses), average-pooled to the stage's size
and faded in with the networks' alpha, as the notebook's `real_at` does.

The trainer compiles one step and has no schedule, so a run trains ONE stage, `--set stage=S`
(0 to 3), and the growing is four runs, each continuing the previous one's networks
(`--set init=FOLDER`: a run folder, whose latest checkpoint is read, or a checkpoint folder). With
the notebook's full run (3,000 steps a phase; quick mode: fade_steps=250 and half the steps):

    igcourse train progan --set stage=0 --steps 3000 --out runs/progan-0
    igcourse train progan --set stage=1 --set init=runs/progan-0 --steps 6000 --out runs/progan-1
    igcourse train progan --set stage=2 --set init=runs/progan-1 --steps 6000 --out runs/progan-2
    igcourse train progan --set stage=3 --set init=runs/progan-2 --steps 6000 --out runs/progan-3

Within a run of stage S > 0, step k (counted from 0 in each run) trains at
alpha = min(1, (k + 1) / fade_steps): the fade-in phase, then the stable phase, as the notebook's
(i + 1) / STEPS_PER_PHASE and then 1. The step number is read from the update's StepSeed, whose
pair is (run seed, step) on both engines: `step_number`, which reads the seed's private `_seed`
(igcourse.training.seeds has no public accessor; tests/test_training_recipe_progan.py checks that
the logged alpha follows the steps). So a `--resume` inside a stage continues its fade exactly.
One run has one pair of optimisers, so the fade-in and the stable phase of a stage share them and
the next stage (a new run) starts new ones, as in the notebook. Both networks hold every stage's
layers from the start (built as build_trained_generator builds them), so the weights files of
every stage have the same layout; the layers a stage does not use (later blocks, to-RGB and
from-RGB layers of other stages) are frozen in its run, which is the notebook's step dropping
their None gradients.

What differs from the notebook, and why:
- The schedule is four commands (above), not one loop: `--steps` is the run's (stage 0:
  fade_steps; stages 1 to 3: 2 x fade_steps), and `init` must name the previous stage's run.
  `init` loads the networks only: the new run's optimisers are new, its step count starts at 0.
  Without `init` a run starts from fresh weights at its stage; the defaults (stage 3, no init,
  fade_steps 3,000) train the 32 x 32 networks directly, fading the last block in over a fresh
  16 x 16 path: what gpu_check times, not the growing schedule.
- The penalty is `gradient_penalty` below: the reference's own is TensorFlow code
  (tf.GradientTape), which JAX cannot run. It takes the critic's input gradients with
  igcourse.training.autodiff.input_gradients, each sample's own norm, as wgan_gp.py does; the
  test checks that one trainer step gives make_progan_step's losses and weights.
- Draws: each step's z (one per update) and epsilon come from the trainer's step seed, and
  batches from its shuffled epochs; the notebook draws them, and its batches with replacement,
  from one NumPy generator.
- Evaluations and grids: `sample` gives the generator's items at the run's stage with alpha 1
  (the sampler has no step number), brought to 32 x 32 by nearest-neighbour upsampling (as the
  notebook's pictures are) and cropped to the evaluator's 28 x 28 in [0, 1], as the notebook's
  `generate` does at the final stage. During a fade-in they therefore show the new block as it
  will be once faded in; only a finished stage-3 run compares with the handed-in bar (`target`,
  fd 175 on 1,000 items, `progan_fd_max` in course_config.py).
- Handed-in files: the trainer has no hook for them. `hand_in(out, folder)` writes the notebook's
  two files from a stage-3 run's latest checkpoint: progan_generator.weights.h5 (the layout of
  build_trained_generator(latent_dim, filters, 3)) and progan_generator.json.
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

progan = reference("ch07_face_generation", "progan")

BORDER = 2  # black pixels added on each side: 28 x 28 -> 32 x 32, as the notebook pads
FULL_SIZE = progan.stage_resolution(progan.STAGES - 1)  # 32
HANDED_IN_WEIGHTS = "progan_generator.weights.h5"
HANDED_IN_SETTINGS = "progan_generator.json"


@dataclass(frozen=True)
class ProGANConfig:
    latent_dim: int = 64  # numbers in z
    filters: int = 16  # F: the channels at 32 x 32 (coarser stages have more)
    stage: int = 3  # the stage this run trains: 0 is 4 x 4, 3 is 32 x 32
    fade_steps: int = 3000  # steps of the fade-in (stages > 0); 0: alpha 1 from the first step
    init: str = (
        ""  # a previous stage's run (or checkpoint) folder whose networks this run continues
    )
    batch_size: int = 32  # the notebook's
    learning_rate: float = 1e-3  # Adam, both updates
    beta_1: float = 0.0  # Adam's first-moment decay
    beta_2: float = 0.99  # Adam's second-moment decay
    epsilon: float = 1e-8  # Adam's epsilon
    gp_weight: float = 10.0  # weight of the gradient penalty
    drift_weight: float = 0.001  # weight of mean(real score ** 2)
    samples: int = 64  # images in a sample grid
    eval_samples: int = 1000  # samples for the evaluator (the grader's 1,000); 0: none


@functools.cache
def fashion_mnist(split):
    """(N, 32, 32, 1) uint8: the items with a black border of BORDER pixels, loaded once."""
    images = load_fashion_mnist(split)[0]
    pad = ((0, 0), (BORDER, BORDER), (BORDER, BORDER))
    return np.pad(images, pad)[..., None]  # 0 is black: -1 in [-1, 1], the notebook's border


def shrink(images, size):
    """Average pooling of (B, S, S, C) images down to size x size, as the notebook's `shrink`."""
    full, channels = images.shape[1], images.shape[-1]
    factor = full // size
    blocks = ops.reshape(images, (-1, size, factor, size, factor, channels))
    return ops.mean(blocks, axis=(2, 4))


def grow(images, size):
    """Nearest-neighbour upsampling to size x size, as the notebook's `grow`."""
    factor = size // images.shape[1]
    return ops.repeat(ops.repeat(images, factor, axis=1), factor, axis=2)


def real_at(images, stage, alpha=1.0):
    """The real images as the networks see them at `stage`, faded in by alpha: the notebook's
    `real_at` in keras.ops (alpha may be a scalar tensor)."""
    size = progan.stage_resolution(stage)
    new = shrink(images, size)
    if stage == 0:
        return new
    old = grow(shrink(images, size // 2), size)
    return old + alpha * (new - old)


def step_number(seed):
    """The trainer's step number inside a loss, a scalar int32 tensor: the second number of
    the update's StepSeed pair (run seed, step), on both engines. StepSeed has no public
    accessor; tests/test_training_recipe_progan.py checks that alpha follows the steps."""
    return seed._seed[1]


def fade_alpha(step, stage, fade_steps):
    """alpha at a run's step (0-based): min(1, (step + 1) / fade_steps); 1 at stage 0 or when
    fade_steps is 0. A float32 scalar tensor, or the Python float 1.0."""
    if stage == 0 or fade_steps <= 0:
        return 1.0
    rising = (ops.cast(step, "float32") + 1.0) / float(fade_steps)
    return ops.minimum(rising, 1.0)


def gradient_penalty(score, real_images, fake_images, epsilon):
    """mean_i (||grad_x score(x_i)||_2 - 1)^2 at x_i = eps_i real_i + (1 - eps_i) fake_i: the
    reference's gradient_penalty (without its weight, which progan_critic_loss applies) in
    keras.ops. epsilon: (B, 1, 1, 1); the norm is each sample's own. A float32 scalar."""
    real_images, fake_images, epsilon = (
        ops.cast(ops.convert_to_tensor(x), "float32") for x in (real_images, fake_images, epsilon)
    )
    mixed = epsilon * real_images + (1.0 - epsilon) * fake_images

    def scores(x):
        return ops.cast(score(x), "float32")

    gradients = ops.cast(input_gradients(scores, mixed), "float32")  # (B, H, W, C)
    norms = ops.sqrt(ops.sum(ops.square(gradients), axis=(1, 2, 3)) + 1e-12)  # (B,)
    return ops.mean(ops.square(norms - 1.0))


def build_networks(latent_dim, filters):
    """The generator (build_trained_generator's, every stage built) and the critic, built at
    every stage in the same order, so that every stage's run saves the same layout."""
    generator = progan.build_trained_generator(latent_dim, filters, progan.STAGES - 1)
    critic = progan.ProDiscriminator(filters=filters)
    for stage in range(progan.STAGES):
        side = progan.stage_resolution(stage)
        critic(np.zeros((1, side, side, 1), np.float32), stage=stage)
    return generator, critic


def train_only_stage(generator, critic, stage):
    """Freeze the layers that `stage` does not use: blocks of later stages, and the to-RGB and
    from-RGB layers of stages other than `stage` and `stage - 1` (the fade's old path). They get
    no gradient at this stage, which the notebook's step drops (`used`)."""
    faded = {stage, stage - 1}
    for index, layer in enumerate(generator.to_rgb):
        layer.trainable = index in faded
    for index, layer in enumerate(critic.from_rgb):
        layer.trainable = index in faded
    for network in (generator, critic):
        for index, block in enumerate(network.blocks):  # blocks[i] grows stage i + 1
            block.trainable = index < stage


def checkpoint_folder(path):
    """The folder holding generator.weights.h5 and critic.weights.h5: `path` itself, or the
    latest checkpoint of the run folder `path`."""
    from igcourse.training import checkpoint

    path = Path(path)
    if (path / "generator.weights.h5").exists():
        return path
    latest = checkpoint.latest(path)
    if latest is None:
        raise FileNotFoundError(f"no ProGAN checkpoint in {path}")
    return latest


def run_config(out):
    """The ProGANConfig run `out` was trained with (its config.json)."""
    return ProGANConfig(**json.loads((Path(out) / "config.json").read_text())["recipe_config"])


def handed_in_settings(config):
    """progan_generator.json: the settings build_trained_generator(**settings) takes."""
    return {"latent_dim": config.latent_dim, "filters": config.filters, "stage": config.stage}


def hand_in(out, folder):
    """Write the notebook's two handed-in files into `folder` from stage-3 run `out`'s latest
    checkpoint: the generator as progan_generator.weights.h5 (build_trained_generator's layout)
    and its settings as progan_generator.json. Returns the two paths."""
    out, folder = Path(out), Path(folder)
    config = run_config(out)
    if config.stage != progan.STAGES - 1:
        raise ValueError(
            f"{out} trained stage {config.stage}; the grader measures stage {progan.STAGES - 1}"
        )
    settings = handed_in_settings(config)
    generator = progan.build_trained_generator(**settings)
    generator.load_weights(checkpoint_folder(out) / "generator.weights.h5")
    folder.mkdir(parents=True, exist_ok=True)
    weights, settings_file = folder / HANDED_IN_WEIGHTS, folder / HANDED_IN_SETTINGS
    generator.save_weights(weights)
    settings_file.write_text(json.dumps(settings))
    return weights, settings_file


class ProGANRecipe(Recipe):
    name = "progan"
    Config = ProGANConfig
    smoke = {
        "latent_dim": 8,
        "filters": 4,
        "fade_steps": 2,
        "batch_size": 4,
        "samples": 4,
        "eval_samples": 0,
    }
    # The handed-in ProGAN's bar (course_config.py, progan_fd_max), for a finished stage-3 run:
    # the notebook's quick mode (250 steps a phase) measures FD 133 to 135 on 1,000 items,
    # untrained networks 218 to 286.
    target = ("fd", 175.0)
    # On the CPU a plain tf.function trains the notebook's stage-3 networks (batch 32) at 222
    # images/s after a 5.5 s first step, XLA at 85 after 16 s (2026-12-07, 30 steps each, 2 shared
    # cores, load 6); on a GPU the JAX backend runs it.
    tf_compile = "graph"

    def __init__(self, config=None):
        super().__init__(config)
        if not 0 <= self.config.stage < progan.STAGES:
            raise ValueError(f"stage must be 0 to {progan.STAGES - 1}, not {self.config.stage}")

    def train_data(self):
        return (fashion_mnist("train"),)

    def build_models(self):
        config = self.config
        generator, critic = build_networks(config.latent_dim, config.filters)
        if config.init:
            self._load_init(generator, critic)
        train_only_stage(generator, critic, config.stage)
        return {"generator": generator, "critic": critic}

    def _load_init(self, generator, critic):
        init = Path(self.config.init)
        if (init / "config.json").exists():
            previous = run_config(init)
            for key in ("latent_dim", "filters"):
                if getattr(previous, key) != getattr(self.config, key):
                    raise ValueError(
                        f"init {init} has {key}={getattr(previous, key)}, this run "
                        f"{getattr(self.config, key)}"
                    )
        folder = checkpoint_folder(init)
        generator.load_weights(folder / "generator.weights.h5")
        critic.load_weights(folder / "critic.weights.h5")

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
            Update(self.g_loss, "g_loss", trains=("generator",), optimizer="g_adam"),
        )

    def alpha(self, seed):
        return fade_alpha(step_number(seed), self.config.stage, self.config.fade_steps)

    def fakes(self, models, n, seed, alpha, training=True):
        """n images at the run's stage from z of N(0, I), faded in by alpha."""
        z = keras.random.normal((n, self.config.latent_dim), seed=seed)
        generator = models["generator"]
        return generator(z, stage=self.config.stage, alpha=alpha, training=training)

    def scores(self, models, images, alpha):
        critic = models["critic"]
        return ops.cast(
            critic(images, stage=self.config.stage, alpha=alpha, training=True), "float32"
        )

    def c_loss(self, models, batch, seed):
        (pixels,) = batch
        config = self.config
        alpha = self.alpha(seed)
        real = real_at(to_range(pixels), config.stage, alpha)  # (B, r, r, 1), float32
        n = ops.shape(real)[0]
        fake = ops.stop_gradient(ops.cast(self.fakes(models, n, seed, alpha), "float32"))
        epsilon = keras.random.uniform((n, 1, 1, 1), seed=seed)
        penalty = gradient_penalty(lambda x: self.scores(models, x, alpha), real, fake, epsilon)
        real_scores = self.scores(models, real, alpha)
        fake_scores = self.scores(models, fake, alpha)
        loss = progan.progan_critic_loss(
            real_scores, fake_scores, penalty, config.gp_weight, config.drift_weight
        )
        return {
            "c_loss": loss,
            "c_wasserstein": ops.mean(fake_scores) - ops.mean(real_scores),
            "gp": penalty,
            "alpha": ops.cast(alpha, "float32"),
        }

    def g_loss(self, models, batch, seed):
        (pixels,) = batch
        alpha = self.alpha(seed)
        fake = self.fakes(models, ops.shape(pixels)[0], seed, alpha)
        return {"g_loss": progan.progan_generator_loss(self.scores(models, fake, alpha))}

    def sample(self, models, n, seed):
        """n items at the run's stage, alpha 1, upsampled to 32 x 32 (nearest) and the border
        cropped: (n, 28, 28, 1) in [0, 1], as the notebook's `generate` at the final stage."""
        images = ops.cast(self.fakes(models, n, seed, 1.0, training=False), "float32")
        if images.shape[1] != FULL_SIZE:
            images = grow(images, FULL_SIZE)
        inner = images[:, BORDER : FULL_SIZE - BORDER, BORDER : FULL_SIZE - BORDER]
        return ops.clip((inner + 1.0) / 2.0, 0.0, 1.0)


RECIPE = ProGANRecipe
