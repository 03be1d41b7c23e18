"""Recipe: CycleGAN (chapter 4) on the offline sneakers-to-ankle-boots domains.

Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks"
(2017): generators G_AB and G_BA, PatchGAN discriminators D_A and D_B, the least-squares
adversarial loss, the cycle term both ways and the identity term (G_AB given B images), with
the notebook's settings. Networks, losses and the generators' objective come from the
chapter's reference module (solutions/ch04_image_translation/cyclegan.py). One step is two
updates, in the notebook's order: both generators, then both discriminators, which judge real
images against what the history pools return for newly translated ones (a second forward
pass through the updated generators; the notebook hands the generator step's fakes over).

The notebook's `ImagePool` is NumPy that runs between two tf.functions; a compiled step can
run neither it nor the students' `make_cyclegan_steps`. `HistoryPool` is the same rule in
keras.ops: its images and count are non-trainable variables, which the step changes as batch
normalisation changes its statistics, and its coins and choices come from the step seed.

The chapter's quality measures are the handed-in generators' translated-class rate (the
evaluator's share of translated test sneakers it calls ankle boots: `sample` translates the
first test sneakers and `sample_labels` asks for class 9, so the evaluations' class
consistency is that rate) and the cycle error (`test_metrics`, mean |a - G_BA(G_AB(a))| in
[-1, 1] as the hidden check measures it). `target` is the bar on the rate
(course_config.py, cyclegan_translated_rate_min).
"""

import functools
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.data.derived import build_unpaired
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import for_the_evaluator, to_range

cyclegan = reference("ch04_image_translation", "cyclegan")
ANKLE_BOOT = 9  # Fashion-MNIST's class of domain B


@dataclass(frozen=True)
class CycleGANConfig:
    filters: int = 16  # F of the notebook's generators and discriminators
    blocks: int = 3  # residual blocks of each generator (the notebook's)
    channels: int = 1  # grey sneakers and boots
    batch_size: int = 16  # the notebook's
    learning_rate: float = 2e-4  # Adam, each pair of networks (the notebook's setting)
    beta_1: float = 0.5  # Adam's first-moment decay (the notebook's setting)
    cycle_weight: float = 10.0  # lambda_cyc (the paper's and notebook's)
    identity_weight: float = 5.0  # lambda_id, half of lambda_cyc
    pool_size: int = 50  # images each history pool keeps (the paper's and notebook's)
    samples: int = 64  # translations in a sample grid
    eval_samples: int = 1000  # translated test sneakers for the evaluator; 0: none
    eval_batches: int = 60  # held-out batches for the cycle error (960 sneakers at batch 16)


@functools.cache
def sneakers_and_boots(split):
    """(sneakers, boots) as uint8 (N, 32, 32, 1), shuffled apart (no sneaker is paired)."""
    domains = build_unpaired("sneaker2boot", split, size=cyclegan.IMAGE_SIZE)
    return domains.a[..., None], domains.b[..., None]


class HistoryPool(keras.Model):
    """The notebook's ImagePool in keras.ops, for a compiled step: up to `size` earlier images;
    `query(images, seed)` goes through the batch image by image, returning the new image
    (stored while the pool is not full) or, once full, with probability 1/2 a random stored
    one, the new image taking its place. No gradient flows through it."""

    def __init__(self, size, image_shape, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.images = self.add_weight(
            shape=(size, *image_shape), initializer="zeros", trainable=False, name="images"
        )
        self.count = self.add_weight(
            shape=(), initializer="zeros", dtype="int32", trainable=False, name="count"
        )
        self.built = True

    def query(self, images, seed):
        images = ops.stop_gradient(ops.cast(images, "float32"))
        batch = images.shape[0]
        coins = keras.random.uniform((batch,), seed=seed) < 0.5
        choices = keras.random.randint((batch,), 0, self.size, seed=seed)
        stored, count = self.images.value, self.count.value
        slots = ops.arange(self.size, dtype="int32")
        returned = []
        for i in range(batch):  # the batch is small and static: unrolled, in order
            image = images[i]
            filling = count < self.size
            slot = ops.where(filling, count, ops.cast(choices[i], "int32"))
            old = ops.take(stored, slot, axis=0)
            gives_old = ops.logical_and(ops.logical_not(filling), coins[i])
            returned.append(ops.where(gives_old, old, image))
            store_here = ops.logical_and(ops.logical_or(filling, gives_old), ops.equal(slots, slot))
            stored = ops.where(store_here[:, None, None, None], image[None], stored)
            count = count + ops.cast(filling, "int32")
        self.images.assign(stored)
        self.count.assign(count)
        return ops.stack(returned)


class CycleGANRecipe(Recipe):
    name = "cyclegan"
    Config = CycleGANConfig
    smoke = {
        "filters": 2,
        "blocks": 1,
        "batch_size": 4,
        "pool_size": 3,
        "samples": 4,
        "eval_samples": 0,
        "eval_batches": 1,
    }
    # The handed-in generators' bar on the translated-class rate (course_config.py,
    # cyclegan_translated_rate_min); the cycle error's bar is 0.12 (cyclegan_cycle_error_max).
    target = ("class_consistency", 0.5, "at_least")

    def train_data(self):
        return sneakers_and_boots("train")

    def test_data(self):
        return sneakers_and_boots("test")

    def build_models(self):
        config = self.config
        shape = (cyclegan.IMAGE_SIZE, cyclegan.IMAGE_SIZE, config.channels)
        generator = functools.partial(
            cyclegan.build_resnet_generator, config.filters, config.blocks, config.channels
        )
        discriminator = functools.partial(
            cyclegan.build_discriminator, config.filters, config.channels
        )
        return {
            "g_ab": generator(),
            "g_ba": generator(),
            "d_a": discriminator(),
            "d_b": discriminator(),
            "pool_a": HistoryPool(config.pool_size, shape, name="pool_a"),
            "pool_b": HistoryPool(config.pool_size, shape, name="pool_b"),
        }

    def build_optimizers(self):
        adam = functools.partial(
            keras.optimizers.Adam, self.config.learning_rate, beta_1=self.config.beta_1
        )
        return {"g_adam": adam(), "d_adam": adam()}

    def updates(self):
        return (
            Update(self.g_loss, "g_loss", trains=("g_ab", "g_ba"), optimizer="g_adam"),
            Update(self.d_loss, "d_loss", trains=("d_a", "d_b"), optimizer="d_adam"),
        )

    def g_loss(self, models, batch, seed):
        real_a, real_b = (to_range(images) for images in batch)
        total, _fake_a, _fake_b = cyclegan.generator_objective(
            *(models[name] for name in ("g_ab", "g_ba", "d_a", "d_b")),
            real_a,
            real_b,
            self.config.cycle_weight,
            self.config.identity_weight,
        )
        return {"g_loss": ops.cast(total, "float32")}

    def d_loss(self, models, batch, seed):
        real_a, real_b = (to_range(images) for images in batch)
        fake_a = models["pool_a"].query(models["g_ba"](real_b, training=True), seed)
        fake_b = models["pool_b"].query(models["g_ab"](real_a, training=True), seed)
        loss_a, loss_b = (
            cyclegan.lsgan_discriminator_loss(
                ops.cast(critic(real, training=True), "float32"),
                ops.cast(critic(fake, training=True), "float32"),
            )
            for critic, real, fake in (
                (models["d_a"], real_a, fake_a),
                (models["d_b"], real_b, fake_b),
            )
        )
        return {"d_loss": loss_a + loss_b, "d_a_loss": loss_a, "d_b_loss": loss_b}

    def test_metrics(self, models, batch, seed):
        sneakers = to_range(batch[0])
        boots = models["g_ab"](sneakers, training=False)
        cycled = ops.cast(models["g_ba"](boots, training=False), "float32")
        return {"test_cycle_error": ops.mean(ops.abs(sneakers - cycled))}

    def sample_labels(self, n):
        """sample() translates sneakers into ankle boots: class 9 for every one."""
        return np.full(n, ANKLE_BOOT, np.int64)

    def sample(self, models, n, seed):
        """G_AB's translations of the first n test sneakers, in [0, 1], at the evaluator's
        28 x 28 (area averaging, as the hidden check measures them)."""
        sneakers = to_range(sneakers_and_boots("test")[0][:n])
        return for_the_evaluator(models["g_ab"](sneakers, training=False))


RECIPE = CycleGANRecipe
