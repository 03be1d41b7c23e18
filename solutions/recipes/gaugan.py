"""Recipe: GauGAN (chapter 6) on the offline label maps of Fashion-MNIST.

Park et al., "Semantic Image Synthesis with Spatially-Adaptive Normalization" (2019): a
generator of SPADE residual blocks paints an image from a code z and a one-hot label map; a
VAE-style encoder gives z a real image's style in training (and a KL term keeps the codes near
N(0, I), so that z drawn from it stands in at test time); a multi-scale PatchGAN judges the
(label map, image) pair. The generator, the encoder, the discriminator and every loss come from
the chapter's reference module (solutions/ch06_ai_painter/gaugan.py), with the notebook's
settings: Adam 1e-4 for the generator and the encoder, 4e-4 for the discriminator, both with
beta_1 0 and beta_2 0.9; feature matching weight 10, KL weight 0.05, and the perceptual loss on
VGG19's features when `perceptual_weight` > 0 (the full run's 0.1; quick mode's none).

One step is the notebook's two updates: the discriminator's hinge update on a fake held
constant, then one update of the generator and the encoder together on hinge + feature matching
+ KL (+ perceptual), against the updated discriminator. The step seed draws each update's z
(`sample_style`), as the notebook's seed generator draws one per update.

Data: igcourse.data.derived.segmentation's label maps, 32 x 32, eleven labels (0 the
background, 1 + k an item of class k), the items cut from their black background; the test
split's maps are never trained on. Quality on held-out test maps, z drawn from N(0, 1)
(`test_metrics`), is the measure of a handed-in generator,
igcourse.grading.ch06_gaugan.gaugan_quality: `consistency` (the evaluator's share of items
filed under the map's class, at 28 x 28 with area averaging) and `iou` (the generated
foreground, pixels above -0.5, against the map's item mask). gaugan_quality is NumPy and OpenCV
code around the evaluator's Keras model, which the compiled evaluation (XLA, jax.jit) cannot
call; `quality` below computes the same two numbers in keras.ops, with the evaluator among the
models (frozen, float32), and tests/test_training_recipe_gaugan.py checks that they equal
gaugan_quality's on the same images. The trainer has no hook for a handed-in file: `hand_in`
writes the notebook's two files (gaugan_generator.weights.h5, gaugan_generator.json) from a
run's latest checkpoint.
"""

import functools
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from keras import ops

from igcourse.data.derived.segmentation import LABEL_PALETTE, build_label_maps
from igcourse.data.vgg19 import vgg19_network, vgg19_weights_file
from igcourse.evaluation.classifier import build_classifier, weights_file
from igcourse.grading.ch06_gaugan import FOREGROUND_CUT
from igcourse.training import Recipe, Update, reference
from igcourse.training.pixels import EVALUATOR_SIZE, area_resize, to_range

gaugan = reference("ch06_ai_painter", "gaugan")

# The notebook's perceptual layers and weights (pix2pixHD's: the deeper layers count most).
PERCEPTUAL_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
PERCEPTUAL_LAYER_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)
CONTEXT_MAPS = 64  # the sample grid paints its maps among the last 64 test maps, as `paint` does
HANDED_IN_WEIGHTS = "gaugan_generator.weights.h5"
HANDED_IN_SETTINGS = "gaugan_generator.json"


@dataclass(frozen=True)
class GauGANConfig:
    filters: int = 64  # the generator's and discriminator's F (the full run's; quick mode 16)
    hidden: int = 64  # channels of SPADE's shared convolution (the full run's; quick mode 32)
    encoder_filters: int = 32  # the style encoder's first convolution (full run; quick mode 16)
    z_dim: int = 64  # numbers in a code z
    scales: int = 2  # the discriminator's scales
    batch_size: int = 32  # the notebook's
    g_learning_rate: float = 1e-4  # Adam, generator and encoder (two time-scale rule)
    d_learning_rate: float = 4e-4  # Adam, discriminator
    beta_1: float = 0.0  # Adam's first-moment decay, both optimisers
    beta_2: float = 0.9  # Adam's second-moment decay, both optimisers
    feature_weight: float = 10.0  # feature matching
    kl_weight: float = 0.05  # KL divergence of the encoder's codes
    perceptual_weight: float = 0.1  # VGG19 perceptual loss (the full run's); 0: no VGG19
    train_items: int = 0  # training maps (the first of the split); 0: all 60,000
    samples: int = 16  # tiles of a sample grid: rows of a test map and its paintings
    eval_batches: int = 10  # held-out batches of test maps for the quality (320 at batch 32)


@functools.cache
def label_maps(split, limit=0):
    """(images, label maps) as uint8 (N, 32, 32), and the items' classes (N,); built once."""
    maps = build_label_maps(split, size=gaugan.IMAGE_SIZE, limit=limit or None)
    return maps.images, maps.labels, maps.classes


def one_hot(labels):
    """uint8 label maps (B, H, W) -> float32 one-hot maps (B, H, W, NUM_LABELS)."""
    return ops.one_hot(ops.cast(labels, "int32"), gaugan.NUM_LABELS, dtype="float32")


def build_evaluator():
    """The course's evaluator with its committed weights, frozen and in float32 whatever the
    run's precision, as gaugan_quality's load_evaluator() builds it."""
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        evaluator = build_classifier()
        evaluator.load_weights(weights_file())
    finally:
        keras.config.set_dtype_policy(policy)
    evaluator.trainable = False
    return evaluator


def quality(evaluator, images, masks, classes):
    """gaugan_quality in keras.ops: images (N, 32, 32, 1) in [-1, 1], item masks (N, 32, 32)
    and classes (N,) -> {"consistency", "iou"}, each a float32 scalar. As there: area averaging
    to 28 x 28 in [-1, 1], then [0, 1] clipped; the evaluator's most likely class; the pixels
    above FOREGROUND_CUT against the mask, the union at least 1."""
    images = ops.cast(images, "float32")
    small = area_resize(images, EVALUATOR_SIZE)
    pixels = ops.clip((small + 1.0) / 2.0, 0.0, 1.0)
    predicted = ops.argmax(evaluator(pixels, training=False), axis=-1)
    right = ops.equal(ops.cast(predicted, "int32"), ops.cast(classes, "int32"))
    foreground = ops.greater(images[..., 0], FOREGROUND_CUT)
    masks = ops.cast(masks, "bool")
    overlap = ops.sum(ops.cast(ops.logical_and(foreground, masks), "float32"), axis=(1, 2))
    union = ops.sum(ops.cast(ops.logical_or(foreground, masks), "float32"), axis=(1, 2))
    return {
        "consistency": ops.mean(ops.cast(right, "float32")),
        "iou": ops.mean(overlap / ops.maximum(union, 1.0)),
    }


def _float32(outputs):
    """A discriminator's outputs (lists over scales of lists of features) in float32."""
    return [[ops.cast(feature, "float32") for feature in scale] for scale in outputs]


def handed_in_settings(config):
    """The settings the notebook saves beside the weights (gaugan_generator.json), from which
    the grader rebuilds the generator with build_gaugan_generator(**settings)."""
    return {
        "num_labels": gaugan.NUM_LABELS,
        "z_dim": config.z_dim,
        "filters": config.filters,
        "image_size": gaugan.IMAGE_SIZE,
        "channels": 1,
        "hidden": config.hidden,
    }


def hand_in(out, folder):
    """Write the notebook's two handed-in files into `folder` from run `out`'s latest
    checkpoint: its generator's weights as gaugan_generator.weights.h5 and the settings as
    gaugan_generator.json. Returns the two paths."""
    from igcourse.training import checkpoint

    out, folder = Path(out), Path(folder)
    latest = checkpoint.latest(out)
    if latest is None:
        raise FileNotFoundError(f"no checkpoint in {out}")
    config = GauGANConfig(**json.loads((out / "config.json").read_text())["recipe_config"])
    folder.mkdir(parents=True, exist_ok=True)
    weights, settings = folder / HANDED_IN_WEIGHTS, folder / HANDED_IN_SETTINGS
    shutil.copyfile(latest / "generator.weights.h5", weights)
    settings.write_text(json.dumps(handed_in_settings(config)))
    return weights, settings


class GauGANRecipe(Recipe):
    name = "gaugan"
    Config = GauGANConfig
    smoke = {
        "filters": 2,
        "hidden": 2,
        "encoder_filters": 2,
        "z_dim": 4,
        "batch_size": 4,
        "perceptual_weight": 0.0,
        "train_items": 64,
        "samples": 4,
        "eval_batches": 1,
    }
    # The handed-in generator's bar on class consistency (course_config.py,
    # gaugan_class_consistency_min); foreground IoU's is 0.62 (gaugan_foreground_iou_min).
    target = ("consistency", 0.45, "at_least")
    # XLA on the CPU trains quick mode's networks (filters 16, hidden 32, batch 32) at 124
    # images/s after a 25 s first step, a plain tf.function at 216 after 6 s (2026-12-07, 2 busy
    # cores); on a GPU the JAX backend runs it.
    tf_compile = "graph"

    def train_data(self):
        images, labels, _classes = label_maps("train", self.config.train_items)
        return images, labels

    def test_data(self):
        _images, labels, classes = label_maps("test")
        return labels, classes

    def build_models(self):
        config = self.config
        models = {
            "generator": gaugan.build_gaugan_generator(
                gaugan.NUM_LABELS,
                config.z_dim,
                config.filters,
                gaugan.IMAGE_SIZE,
                1,
                config.hidden,
            ),
            "encoder": gaugan.build_style_encoder(
                config.z_dim, config.encoder_filters, gaugan.IMAGE_SIZE, 1
            ),
            "discriminator": gaugan.build_multiscale_discriminator(
                gaugan.NUM_LABELS, config.filters, 1, scales=config.scales
            ),
            "evaluator": build_evaluator(),
        }
        if config.perceptual_weight > 0:
            vgg = vgg19_network(vgg19_weights_file())  # seeded random weights without the file
            features = keras.Model(
                vgg.inputs, [vgg.get_layer(name).output for name in PERCEPTUAL_LAYERS]
            )
            features.trainable = False
            models["vgg"] = features
        return models

    def build_optimizers(self):
        config = self.config
        return {
            "g_adam": keras.optimizers.Adam(
                config.g_learning_rate, beta_1=config.beta_1, beta_2=config.beta_2
            ),
            "d_adam": keras.optimizers.Adam(
                config.d_learning_rate, beta_1=config.beta_1, beta_2=config.beta_2
            ),
        }

    def updates(self):
        return (
            Update(self.d_loss, "d_loss", trains=("discriminator",), optimizer="d_adam"),
            Update(self.g_loss, "g_loss", trains=("generator", "encoder"), optimizer="g_adam"),
        )

    def _paint(self, models, images, label_maps, seed):
        """The encoder's (mean, log_var) of the real images, and the generator's images from
        z = sample_style(mean, log_var, seed), in float32."""
        mean, log_var = models["encoder"](images, training=True)
        mean, log_var = ops.cast(mean, "float32"), ops.cast(log_var, "float32")
        z = gaugan.sample_style(mean, log_var, seed)
        fake = models["generator"]([z, label_maps], training=True)
        return mean, log_var, ops.cast(fake, "float32")

    def d_loss(self, models, batch, seed):
        images, labels = batch
        images, label_maps = to_range(images)[..., None], one_hot(labels)
        _mean, _log_var, fake = self._paint(models, images, label_maps, seed)
        fake = ops.stop_gradient(fake)
        discriminator = models["discriminator"]
        real_outputs = _float32(discriminator([label_maps, images], training=True))
        fake_outputs = _float32(discriminator([label_maps, fake], training=True))
        return {"d_loss": gaugan.discriminator_hinge_loss(real_outputs, fake_outputs)}

    def g_loss(self, models, batch, seed):
        config = self.config
        images, labels = batch
        images, label_maps = to_range(images)[..., None], one_hot(labels)
        mean, log_var, fake = self._paint(models, images, label_maps, seed)
        discriminator = models["discriminator"]
        real_outputs = _float32(discriminator([label_maps, images], training=True))
        fake_outputs = _float32(discriminator([label_maps, fake], training=True))
        feature = gaugan.feature_matching_loss(real_outputs, fake_outputs)
        kl = gaugan.kl_divergence(mean, log_var)
        loss = gaugan.generator_hinge_loss(fake_outputs) + config.feature_weight * feature
        loss = loss + config.kl_weight * kl
        if config.perceptual_weight > 0:
            vgg = ops.cast(
                gaugan.perceptual_loss(
                    models["vgg"],
                    gaugan.to_vgg_input(images),
                    gaugan.to_vgg_input(fake),
                    PERCEPTUAL_LAYER_WEIGHTS,
                ),
                "float32",
            )
            loss = loss + config.perceptual_weight * vgg
        else:
            vgg = ops.zeros((), "float32")
        return {
            "g_loss": loss,
            "feature_loss": feature,
            "kl_loss": kl,
            "perceptual_loss": vgg,
        }

    def test_metrics(self, models, batch, seed):
        """gaugan_quality's two measures on a batch of held-out maps, z from N(0, 1)."""
        labels, classes = batch
        z = keras.random.normal((ops.shape(labels)[0], self.config.z_dim), seed=seed)
        images = models["generator"]([z, one_hot(labels)], training=False)
        return quality(models["evaluator"], images, ops.greater(labels, 0), classes)

    def sample(self, models, n, seed):
        """A grid of rows `label map | paintings`: ceil(sqrt(n)) tiles a row, the first test maps
        coloured as the notebook colours them, each followed by its paintings with z from
        N(0, 1), painted among the last 64 test maps (SPADE normalises with the batch's
        statistics); n tiles (N, 32, 32, 3) in [0, 1]."""
        columns = max(2, math.ceil(math.sqrt(n)))
        rows = math.ceil(n / columns)
        _images, labels, _classes = label_maps("test")
        painted = np.repeat(labels[:rows], columns - 1, axis=0)
        maps = one_hot(np.concatenate([painted, labels[-CONTEXT_MAPS:]]))
        z = keras.random.normal((ops.shape(maps)[0], self.config.z_dim), seed=seed)
        images = ops.cast(models["generator"]([z, maps], training=False), "float32")
        grey = ops.clip((images[: len(painted)] + 1.0) / 2.0, 0.0, 1.0)
        size = gaugan.IMAGE_SIZE
        paintings = ops.reshape(ops.repeat(grey, 3, axis=-1), (rows, columns - 1, size, size, 3))
        coloured = ops.convert_to_tensor(LABEL_PALETTE[labels[:rows]] / 255.0, "float32")
        tiles = ops.concatenate([coloured[:, None], paintings], axis=1)
        return ops.reshape(tiles, (rows * columns, size, size, 3))[:n]


RECIPE = GauGANRecipe
