"""Does the CycleGAN recipe train as chapter 4's notebook does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: the notebook's settings and order of updates; the
history pool written again in keras.ops returns and stores, image by image, what the
reference's ImagePool does with the same coins and choices; the step keeps the pools' images
between steps on both backends; the losses are the reference's; the evaluations measure what
the hidden checks measure (the cycle error, and the translated sneakers at the evaluator's 28 x
28 asked to be ankle boots).
"""

import json

import h5py
import keras
import numpy as np
import pytest
from keras import ops

from igcourse.training import TrainConfig, load_recipe, reference
from igcourse.training.pixels import to_range
from igcourse.training.seeds import StepSeed
from igcourse.training.testing import run_code, train_command_code

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")


def smoke(**extra):
    return load_recipe("cyclegan", {**load_recipe("cyclegan").smoke, **extra})


def module():
    import sys

    smoke()
    return sys.modules["igcourse_recipes.cyclegan"]


def test_settings_and_updates_are_the_notebooks():
    config = load_recipe("cyclegan").config
    assert (config.filters, config.blocks, config.batch_size) == (16, 3, 16)
    assert (config.learning_rate, config.beta_1) == (2e-4, 0.5)
    assert (config.cycle_weight, config.identity_weight, config.pool_size) == (10.0, 5.0, 50)
    recipe = load_recipe("cyclegan")
    assert [(u.objective, u.trains, u.optimizer) for u in recipe.updates()] == [
        ("g_loss", ("g_ab", "g_ba"), "g_adam"),
        ("d_loss", ("d_a", "d_b"), "d_adam"),
    ]
    assert recipe.target == ("class_consistency", 0.5, "at_least")


class ReplayedDraws:
    """Stands in for ImagePool's NumPy generator: gives back, image by image, the coin and the
    choice the keras.ops pool drew for that image."""

    def __init__(self):
        self.draws, self.choice = [], None

    def random(self):
        coin, self.choice = self.draws.pop(0)
        return coin

    def integers(self, high):
        return self.choice


def test_the_pool_returns_and_stores_what_the_notebooks_pool_does():
    """Images numbered 0 to 239 (a constant image each), 60 batches of 4, a pool of 5: every
    returned batch and the pool's final contents equal the reference ImagePool's, given the
    same draws; stored images come back (the share near half) and the new ones take their
    place."""
    cyclegan = reference("ch04_image_translation", "cyclegan")
    size, batch, batches = 5, 4, 60
    pool = module().HistoryPool(size, (2, 2, 1))
    notebook_pool = cyclegan.ImagePool(size)
    notebook_pool.rng = ReplayedDraws()
    returned_old = 0
    for index in range(batches):
        numbers = np.arange(index * batch, (index + 1) * batch, dtype=np.float32)
        images = np.broadcast_to(numbers[:, None, None, None], (batch, 2, 2, 1)).copy()
        got = np.asarray(pool.query(ops.convert_to_tensor(images), StepSeed([index, 1])))
        # The same draws as the pool's: a coin per image, then a choice per image.
        draws = StepSeed([index, 1])
        coins = np.asarray(keras.random.uniform((batch,), seed=draws))
        choices = np.asarray(keras.random.randint((batch,), 0, size, seed=draws))
        for number, coin, choice in zip(numbers, coins, choices, strict=True):
            if number >= size:  # ImagePool draws only once it is full
                notebook_pool.rng.draws.append((float(coin), int(choice)))
        want = notebook_pool.query(images)
        np.testing.assert_array_equal(got, want)
        returned_old += int(np.sum(got[:, 0, 0, 0] != numbers))
    stored = np.stack(notebook_pool.images)
    np.testing.assert_array_equal(np.asarray(pool.images.value), stored)
    assert int(pool.count.value) == size
    share = returned_old / (batches * batch - size)
    assert 0.35 <= share <= 0.65, share
    assert stored[:, 0, 0, 0].min() >= size  # the images that filled it were all replaced


@TF_ONLY
def test_the_losses_are_the_references():
    cyclegan = reference("ch04_image_translation", "cyclegan")
    recipe = smoke(filters=4, pool_size=8)
    models = recipe.build_models()
    rng = np.random.default_rng(0)
    batch = tuple(rng.integers(0, 256, (4, 32, 32, 1)).astype(np.uint8) for _ in range(2))
    real_a, real_b = (to_range(images) for images in batch)
    nets = [models[name] for name in ("g_ab", "g_ba", "d_a", "d_b")]
    total, fake_a, fake_b = cyclegan.generator_objective(*nets, real_a, real_b, 10.0, 5.0)
    got = recipe.g_loss(models, batch, StepSeed([3, 4]))["g_loss"]
    assert float(got) == pytest.approx(float(total), rel=1e-5)
    # The pools are empty: they return the new fakes as given and keep them.
    d = recipe.d_loss(models, batch, StepSeed([3, 4]))
    _g_ab, _g_ba, d_a, d_b = nets
    want_a, want_b = (
        cyclegan.lsgan_discriminator_loss(critic(real, training=True), critic(fake, training=True))
        for critic, real, fake in ((d_a, real_a, fake_a), (d_b, real_b, fake_b))
    )
    assert float(d["d_a_loss"]) == pytest.approx(float(want_a), rel=1e-5)
    assert float(d["d_b_loss"]) == pytest.approx(float(want_b), rel=1e-5)
    assert float(d["d_loss"]) == pytest.approx(float(want_a + want_b), rel=1e-5)
    np.testing.assert_allclose(models["pool_b"].images.value[:4], fake_b, atol=1e-6)
    assert int(models["pool_a"].count.value) == 4


@TF_ONLY
def test_the_evaluations_measure_what_the_hidden_checks_measure():
    import tensorflow as tf

    recipe = smoke()
    models = recipe.build_models()
    sneakers, _boots = module().sneakers_and_boots("test")
    samples = np.asarray(recipe.sample(models, 6, StepSeed([0, 0])))
    translated = models["g_ab"](to_range(sneakers[:6]), training=False)
    expected = tf.image.resize((np.asarray(translated) + 1) / 2, (28, 28), method="area")
    np.testing.assert_allclose(samples, expected.numpy(), atol=1e-5)
    assert recipe.sample_labels(6).tolist() == [9] * 6  # ankle boots asked for
    metrics = recipe.test_metrics(models, (sneakers[:8], _boots[:8]), StepSeed([0, 0]))
    a = np.asarray(to_range(sneakers[:8]))
    cycled = models["g_ba"](models["g_ab"](a, training=False), training=False)
    assert float(metrics["test_cycle_error"]) == pytest.approx(
        float(np.mean(np.abs(a - np.asarray(cycled)))), rel=1e-5
    )


def _pool_in_checkpoint(out, name):
    """(count, images) of a pool's weights in the run's latest checkpoint."""
    folder = out / "checkpoints" / (out / "checkpoints" / "latest").read_text()
    values = []
    with h5py.File(folder / f"{name}.weights.h5", "r") as saved:
        saved.visititems(
            lambda _key, item: values.append(item[()]) if isinstance(item, h5py.Dataset) else None
        )
    count = next(int(v) for v in values if np.ndim(v) == 0)
    images = next(v for v in values if np.ndim(v) == 4)
    return count, images


@TF_ONLY
def test_the_step_keeps_the_pools_images_on_both_backends(tmp_path):
    """Two steps of batch 4 fill pools of 3 (the rest of the fakes are chosen by coins): the
    checkpoints hold count 3 and three translated images, on TensorFlow (XLA) and on JAX."""
    from igcourse.training.loop import Trainer

    settings = load_recipe("cyclegan").smoke
    config = TrainConfig(out=str(tmp_path / "tf"), steps=2, sample_every=0, eval_every=0)
    Trainer(smoke(), config).run()
    argv = ["cyclegan", "--backend", "jax", "--steps", "2", "--out", str(tmp_path / "jax")]
    argv += ["--sample-every", "0", "--eval-every", "0", "--no-progress"]
    for key, value in settings.items():
        argv += ["--set", f"{key}={value}"]
    done = run_code(train_command_code(argv), "jax", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1])["step"] == 2
    for backend in ("tf", "jax"):
        for pool in ("pool_a", "pool_b"):
            count, images = _pool_in_checkpoint(tmp_path / backend, pool)
            assert count == settings["pool_size"], (backend, pool)
            assert images.shape == (3, 32, 32, 1)
            assert np.all(np.abs(images) <= 1) and np.all(images.std(axis=(1, 2, 3)) > 0)
