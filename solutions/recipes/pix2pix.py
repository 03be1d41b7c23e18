"""Recipe: pix2pix (chapter 4) on the offline edges-to-shoes pairs.

Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks" (2017): a
U-Net generator G(x) and a PatchGAN discriminator D(x, y) that judges the (drawing, shoe) pair
cell by cell; G minimises the non-saturating adversarial loss plus lambda times the L1 distance
to the real shoe. Every batch is jittered (resized to 36 x 36 with nearest neighbours, cropped
back to 32 x 32 at one random place, flipped left-right half the time), the drawing and the
shoe together. Networks and losses come from the chapter's reference module
(solutions/ch04_image_translation/pix2pix.py); its `random_jitter` and `make_pix2pix_step` are
the students' TensorFlow code, so the jitter is written here again in keras.ops for both
backends. The notebook's step updates both networks from one forward pass; here, as in the
trainer's other GANs, D is updated first and G then meets the updated D (a second forward
pass), which the paper's alternating updates also do.

The chapter's quality measures are the held-out L1 (`test_metrics`, in [-1, 1] as the hidden
check measures it) and the class consistency of the translated test drawings (`sample` gives
the translations of the first test drawings, `sample_labels` their shoes' classes); `target`
is the handed-in generator's bar on L1 (course_config.py, pix2pix_test_l1_max).
"""

import functools
from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from igcourse.data.derived import build_edges2shoes
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import for_the_evaluator, to_range

pix2pix = reference("ch04_image_translation", "pix2pix")


@dataclass(frozen=True)
class Pix2PixConfig:
    filters: int = 16  # F of the notebook's U-Net and PatchGAN
    channels: int = 1  # grey drawings and shoes
    batch_size: int = 32  # the notebook's
    learning_rate: float = 2e-4  # Adam, both networks (the notebook's setting)
    beta_1: float = 0.5  # Adam's first-moment decay (the notebook's setting)
    l1_weight: float = 100.0  # lambda of the generator's loss (the paper's and notebook's)
    samples: int = 64  # translations in a sample grid
    eval_samples: int = 1000  # translated test drawings for the evaluator; 0: none
    eval_batches: int = 30  # held-out batches for the test L1 (960 pairs at batch 32)


@functools.cache
def edges_to_shoes(split):
    """(drawings, shoes) as uint8 (N, 32, 32, 1), and the shoes' classes; built once."""
    pairs = build_edges2shoes(split, size=pix2pix.IMAGE_SIZE)
    return pairs.edges[..., None], pairs.shoes[..., None], pairs.labels


def jitter(drawings, shoes, seed):
    """The same random resize-crop and flip for both images of every pair of the batch."""
    size, bigger = pix2pix.IMAGE_SIZE, pix2pix.JITTER_SIZE
    channels = drawings.shape[-1]
    pair = ops.concatenate([drawings, shoes], axis=-1)
    pair = ops.image.resize(pair, (bigger, bigger), interpolation="nearest")
    top, left = ops.unstack(keras.random.randint((2,), 0, bigger - size + 1, seed=seed))
    batch = ops.shape(pair)[0]
    pair = ops.slice(pair, (0, top, left, 0), (batch, size, size, 2 * channels))
    flip = keras.random.uniform((), seed=seed) < 0.5
    pair = ops.where(flip, ops.flip(pair, axis=2), pair)
    return pair[..., :channels], pair[..., channels:]


class Pix2PixRecipe(Recipe):
    name = "pix2pix"
    Config = Pix2PixConfig
    smoke = {"filters": 2, "batch_size": 4, "samples": 4, "eval_samples": 0, "eval_batches": 1}
    # The handed-in generator's bar on the held-out L1 (course_config.py, pix2pix_test_l1_max).
    target = ("test_l1", 0.27)
    # XLA on the CPU makes the U-Net's step about ten times slower than a plain tf.function
    # (forward and backward at batch 32: 0.28 s against 0.025 s, 2026-12-07, 2 busy cores).
    tf_compile = "graph"

    def train_data(self):
        drawings, shoes, _labels = edges_to_shoes("train")
        return drawings, shoes

    def test_data(self):
        drawings, shoes, _labels = edges_to_shoes("test")
        return drawings, shoes

    def build_models(self):
        config = self.config
        return {
            "generator": pix2pix.build_unet(config.filters, config.channels),
            "discriminator": pix2pix.build_patch_discriminator(config.filters, config.channels),
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

    def _pairs(self, batch, seed):
        drawings, shoes = batch
        return jitter(to_range(drawings), to_range(shoes), seed)

    def d_loss(self, models, batch, seed):
        drawings, shoes = self._pairs(batch, seed)
        generated = models["generator"](drawings, training=True)
        real_logits = models["discriminator"]([drawings, shoes], training=True)
        fake_logits = models["discriminator"]([drawings, generated], training=True)
        loss = pix2pix.discriminator_loss(
            ops.cast(real_logits, "float32"), ops.cast(fake_logits, "float32")
        )
        return {"d_loss": loss}

    def g_loss(self, models, batch, seed):
        drawings, shoes = self._pairs(batch, seed)
        generated = ops.cast(models["generator"](drawings, training=True), "float32")
        fake_logits = models["discriminator"]([drawings, generated], training=True)
        loss = pix2pix.generator_loss(
            ops.cast(fake_logits, "float32"), generated, shoes, self.config.l1_weight
        )
        return {"g_loss": loss, "l1": ops.mean(ops.abs(shoes - generated))}

    def test_metrics(self, models, batch, seed):
        drawings, shoes = batch
        generated = models["generator"](to_range(drawings), training=False)
        return {"test_l1": ops.mean(ops.abs(to_range(shoes) - ops.cast(generated, "float32")))}

    def sample_labels(self, n):
        """The classes of the shoes whose drawings sample() translates: the first n of the test
        split."""
        return np.asarray(edges_to_shoes("test")[2][:n], np.int64)

    def sample(self, models, n, seed):
        """The translations of the first n test drawings, in [0, 1], at the evaluator's 28 x 28
        (area averaging, as the hidden check measures them)."""
        drawings = to_range(edges_to_shoes("test")[0][:n])
        return for_the_evaluator(models["generator"](drawings, training=False))


RECIPE = Pix2PixRecipe
