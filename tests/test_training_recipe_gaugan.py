"""Does the GauGAN recipe train as chapter 6's notebook does, and measure what the grader does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: the notebook's settings; one trainer step is the
notebook's `make_gaugan_step` (the same losses, perceptual one included, and the same weights
after, from the same weights and draws); each update changes its own networks and nothing
else; the quality measure is gaugan_quality's, with z drawn from N(0, 1) on held-out maps; the
grid shows each map beside its paintings; and a short run, handed in as the notebook hands its
generator in, beats an untrained generator on both measures (slow, both backends).
"""

import itertools
import json

import keras
import numpy as np
import pytest
from keras import ops

from igcourse.grading.ch06_gaugan import gaugan_quality
from igcourse.training import load_recipe, reference
from igcourse.training.reporting import read_metrics
from igcourse.training.seeds import StepSeed
from igcourse.training.testing import run_code, train_command_code

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")
# A short run: small networks, a few thousand maps; a minute or less per backend on 2 CPU cores.
SHORT_RUN = {
    "filters": 8,
    "hidden": 16,
    "encoder_filters": 8,
    "z_dim": 16,
    "batch_size": 16,
    "perceptual_weight": 0.0,
    "train_items": 4000,
    "samples": 16,
    "eval_batches": 4,
}
STEPS = 120


def smoke(**extra):
    return load_recipe("gaugan", {**load_recipe("gaugan").smoke, **extra})


def module():
    import sys

    smoke()
    return sys.modules["igcourse_recipes.gaugan"]


def as_numpy(x):
    return ops.convert_to_numpy(x)


def a_batch(size=4, first=0):
    images, labels = smoke().train_data()
    return images[first : first + size], labels[first : first + size]


class Recorder:
    """Calls `model` and records its inputs, its output and `training`."""

    def __init__(self, model):
        self.model, self.calls = model, []

    def __call__(self, inputs, training=False):
        out = self.model(inputs, training=training)
        self.calls.append({"inputs": inputs, "out": out, "training": training})
        return out


def test_settings_and_updates_are_the_notebooks():
    recipe = load_recipe("gaugan")
    config = recipe.config
    # The notebook's full run; quick mode is filters 16, hidden 32, encoder 16, no perceptual.
    assert (config.filters, config.hidden, config.encoder_filters) == (64, 64, 32)
    assert (config.z_dim, config.scales, config.batch_size) == (64, 2, 32)
    assert (config.feature_weight, config.kl_weight, config.perceptual_weight) == (10.0, 0.05, 0.1)
    assert [(u.objective, u.trains, u.optimizer) for u in recipe.updates()] == [
        ("d_loss", ("discriminator",), "d_adam"),
        ("g_loss", ("generator", "encoder"), "g_adam"),
    ]
    optimizers = recipe.build_optimizers()
    assert optimizers["g_adam"] is not optimizers["d_adam"]
    for name, rate in (("g_adam", 1e-4), ("d_adam", 4e-4)):
        optimizer = optimizers[name]
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert np.isclose(float(optimizer.learning_rate), rate)
        assert (float(optimizer.beta_1), float(optimizer.beta_2)) == (0.0, 0.9)
    assert recipe.target == ("consistency", 0.45, "at_least")
    gaugan = reference("ch06_ai_painter", "gaugan")
    assert module().PERCEPTUAL_LAYER_WEIGHTS == (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)
    assert gaugan.NUM_LABELS == 11 and gaugan.IMAGE_SIZE == 32


class ReplaySeed(keras.random.SeedGenerator):
    """A seed for the notebook's step that draws, update after update, what the trainer's step
    seeds draw: the discriminator's z from stream 0 of (run seed, step), the generator's from
    stream 1."""

    def __init__(self, seed):  # no super().__init__: no state variable
        self.name = "replay_seed"
        self._draws = itertools.cycle(
            [StepSeed(np.asarray(seed), stream).next() for stream in (0, 1)]
        )

    def next(self, ordered=True):
        return next(self._draws)


def _all_weights(models):
    return {name: [as_numpy(v) for v in model.variables] for name, model in models.items()}


@TF_ONLY
@pytest.mark.parametrize("perceptual_weight", [0.0, 0.1])
def test_a_trainer_step_is_the_notebooks_step(perceptual_weight):
    """From the same weights and z draws, the trainer's two updates give the losses and the
    weights of make_gaugan_step (with the notebook's weights and perceptual callable). Both
    sides take plain SGD here: Adam's first step with beta_1 = 0 is lr * sign(gradient), which
    would hide a gradient of the right sign and the wrong size."""
    import tensorflow as tf

    from igcourse.training.engine_tensorflow import TensorFlowEngine

    gaugan = reference("ch06_ai_painter", "gaugan")
    layer_weights = module().PERCEPTUAL_LAYER_WEIGHTS
    recipe = smoke(perceptual_weight=perceptual_weight, filters=4, hidden=4, z_dim=8)
    keras.utils.set_random_seed(0)
    ours = recipe.build_models()
    optimizers = {"g_adam": keras.optimizers.SGD(0.1), "d_adam": keras.optimizers.SGD(0.1)}
    keras.utils.set_random_seed(1)
    theirs = recipe.build_models()
    for name, model in ours.items():
        theirs[name].set_weights(model.get_weights())
    images, labels = a_batch(4)

    engine = TensorFlowEngine(seed=0, compile_mode="eager")
    engine.compile(ours, optimizers, recipe.updates())
    got = {k: float(v) for k, v in engine.step((images, labels), 0).items()}

    def vgg_loss(real, fake):
        return gaugan.perceptual_loss(
            theirs["vgg"], gaugan.to_vgg_input(real), gaugan.to_vgg_input(fake), layer_weights
        )

    config = recipe.config
    step = gaugan.make_gaugan_step(
        theirs["generator"],
        theirs["encoder"],
        theirs["discriminator"],
        keras.optimizers.SGD(0.1),
        keras.optimizers.SGD(0.1),
        feature_weight=10.0,
        kl_weight=0.05,
        perceptual=vgg_loss if perceptual_weight else None,
        perceptual_weight=perceptual_weight,
        seed=ReplaySeed([0, 0]),  # the trainer's engine seed 0, step 0
    )
    assert (config.feature_weight, config.kl_weight) == (10.0, 0.05)
    real = tf.constant(images.astype(np.float32)[..., None] / 127.5 - 1.0)
    maps = tf.constant(np.eye(11, dtype=np.float32)[labels])
    expected = {k: float(v) for k, v in step(real, maps).items()}

    assert set(got) == set(expected)
    for name, value in expected.items():
        assert np.isclose(got[name], value, rtol=1e-5, atol=1e-6), (name, got[name], value)
    if perceptual_weight:
        assert expected["perceptual_loss"] > 0
    after_ours, after_theirs = _all_weights(ours), _all_weights(theirs)
    for name in ("generator", "encoder", "discriminator"):
        for a, b in zip(after_ours[name], after_theirs[name], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6, err_msg=name)


@TF_ONLY
def test_each_update_changes_its_own_networks_and_nothing_else():
    from igcourse.training.engine_tensorflow import TensorFlowEngine

    recipe = smoke(perceptual_weight=0.1)
    updates = recipe.updates()
    for number, own in enumerate([("discriminator",), ("generator", "encoder")]):
        keras.utils.set_random_seed(number)
        models, optimizers = recipe.build_models(), recipe.build_optimizers()
        assert not models["evaluator"].trainable_variables
        assert not models["vgg"].trainable_variables
        before = _all_weights(models)
        engine = TensorFlowEngine(seed=0, compile_mode="eager")
        engine.compile(models, optimizers, updates[number : number + 1])
        logs = engine.step(a_batch(4), 0)
        assert all(np.isfinite(float(v)) for v in logs.values()), logs
        after = _all_weights(models)
        for name, model in models.items():
            changed = [
                not np.array_equal(new, old)
                for new, old in zip(after[name], before[name], strict=True)
            ]
            if name in own:
                # Only trainable variables move, every kernel among them. (At the first step
                # the logits' biases may keep still: near-zero logits of real and fake alike
                # give the hinge loss opposite slopes that cancel on a bias.)
                trainable = {id(v) for v in model.trainable_variables}
                moved = [v for v, c in zip(model.variables, changed, strict=True) if c]
                assert all(id(v) in trainable for v in moved), name
                kernels = [v for v in model.variables if v.path.endswith("kernel")]
                assert kernels and all(any(v is m for m in moved) for v in kernels), name
            else:
                assert not any(changed), (number, name)


@TF_ONLY
def test_the_quality_is_gaugan_quality():
    """The recipe's keras.ops measure gives gaugan_quality's two numbers on the same images:
    real test items, an untrained generator's, and noise."""
    mod = module()
    recipe = smoke()
    test_images, labels, classes = mod.label_maps("test")
    n = 96
    keras.utils.set_random_seed(0)
    generator = recipe.build_models()["generator"]
    z = np.random.default_rng(0).standard_normal((n, recipe.config.z_dim)).astype(np.float32)
    untrained = as_numpy(generator([z, np.eye(11, dtype=np.float32)[labels[:n]]]))
    real = test_images[:n].astype(np.float32)[..., None] / 127.5 - 1.0
    noise = np.random.default_rng(1).uniform(-1.0, 1.0, (n, 32, 32, 1)).astype(np.float32)
    evaluator = mod.build_evaluator()
    for images in (real, untrained, noise):
        masks = labels[:n] > 0
        got = {k: float(v) for k, v in mod.quality(evaluator, images, masks, classes[:n]).items()}
        expected = gaugan_quality(images, masks, classes[:n])
        assert set(got) == set(expected)
        assert np.isclose(got["consistency"], expected["consistency"], atol=1e-6), (got, expected)
        assert np.isclose(got["iou"], expected["iou"], rtol=1e-5), (got, expected)
    # The real items are recognised and fill their masks; the noise neither.
    real_quality = gaugan_quality(real, labels[:n] > 0, classes[:n])
    assert real_quality["consistency"] > 0.8 and real_quality["iou"] > 0.7


def test_evaluations_paint_held_out_maps_with_z_from_a_standard_normal():
    recipe = smoke(z_dim=16)
    labels, classes = recipe.test_data()
    size = 512
    generator = Recorder(lambda inputs, training: ops.zeros((size, 32, 32, 1)))
    evaluator = Recorder(lambda pixels, training: ops.zeros((size, 10)))
    batch = (labels[:size], classes[:size])
    out = recipe.test_metrics(
        {"generator": generator, "evaluator": evaluator}, batch, StepSeed([1, 2])
    )
    assert set(out) == {"consistency", "iou"}
    (call,) = generator.calls
    assert call["training"] is False
    z, maps = (as_numpy(x) for x in call["inputs"])
    assert z.shape == (size, 16)
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1.0) < 0.03  # N(0, 1), not the encoder's
    np.testing.assert_array_equal(maps, np.eye(11, dtype=np.float32)[labels[:size]])
    assert evaluator.calls[0]["training"] is False


def test_the_grid_puts_each_map_beside_its_paintings():
    recipe = smoke()
    mod = module()
    keras.utils.set_random_seed(0)
    generator = Recorder(recipe.build_models()["generator"])
    tiles = as_numpy(recipe.sample({"generator": generator}, 16, StepSeed([3, 4])))
    assert tiles.shape == (16, 32, 32, 3) and tiles.min() >= 0.0 and tiles.max() <= 1.0
    _images, labels, _classes = mod.label_maps("test")
    (call,) = generator.calls
    assert call["training"] is False
    maps = as_numpy(call["inputs"][1])
    assert len(maps) == 4 * 3 + mod.CONTEXT_MAPS  # 4 maps painted 3 times, among 64 others
    np.testing.assert_array_equal(maps[:12].argmax(-1), np.repeat(labels[:4], 3, axis=0))
    painted = as_numpy(call["out"])[:12]
    for row in range(4):  # the grid is 4 x 4: a coloured map, then its three paintings
        np.testing.assert_allclose(tiles[4 * row], mod.LABEL_PALETTE[labels[row]] / 255.0)
        for k in range(3):
            tile = tiles[4 * row + 1 + k]
            expected = np.clip((painted[3 * row + k] + 1.0) / 2.0, 0.0, 1.0)
            np.testing.assert_allclose(tile, np.repeat(expected, 3, axis=-1), atol=1e-6)


def _quality_on_held_out_maps(generator, z_dim):
    """gaugan_quality on 300 test maps, z from N(0, 1), painted 100 at a time (as the grader)."""
    images, labels, classes = module().label_maps("test")
    rows = np.random.default_rng(7).choice(len(labels), 300, replace=False)
    maps = np.eye(11, dtype=np.float32)[labels[rows]]
    z = np.random.default_rng(8).standard_normal((300, z_dim)).astype(np.float32)
    painted = np.concatenate(
        [as_numpy(generator([z[i : i + 100], maps[i : i + 100]])) for i in range(0, 300, 100)]
    )
    return gaugan_quality(painted, labels[rows] > 0, classes[rows])


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_a_short_run_handed_in_beats_an_untrained_generator(backend, tmp_path):
    """120 steps of small networks from the command line; the latest checkpoint handed in as
    the notebook's two files, rebuilt as the grader rebuilds them and measured with
    gaugan_quality, beats an untrained generator of the same settings on both measures."""
    out = tmp_path / "run"
    argv = ["gaugan", "--backend", backend, "--steps", str(STEPS), "--out", str(out)]
    argv += ["--log-every", "40", "--eval-every", "60", "--sample-every", str(STEPS)]
    argv += ["--no-progress"]
    for key, value in {**load_recipe("gaugan").smoke, **SHORT_RUN}.items():
        argv += ["--set", f"{key}={value}"]
    done = run_code(train_command_code(argv), backend, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads((out / "config.json").read_text())["backend"] == backend
    evals = [r for r in read_metrics(out / "metrics.jsonl") if r["kind"] == "eval"]
    assert [r["step"] for r in evals] == [60, 120]
    assert all(np.isfinite(r["consistency"]) and np.isfinite(r["iou"]) for r in evals)

    weights, settings_file = module().hand_in(out, tmp_path / "handed_in")
    assert weights.name == "gaugan_generator.weights.h5"
    settings = json.loads(settings_file.read_text())
    assert settings == {
        "num_labels": 11,
        "z_dim": 16,
        "filters": 8,
        "image_size": 32,
        "channels": 1,
        "hidden": 16,
    }
    gaugan = reference("ch06_ai_painter", "gaugan")
    keras.utils.set_random_seed(0)
    untrained = gaugan.build_gaugan_generator(**settings)
    trained = gaugan.build_gaugan_generator(**settings)
    trained.load_weights(weights)
    before = _quality_on_held_out_maps(untrained, settings["z_dim"])
    after = _quality_on_held_out_maps(trained, settings["z_dim"])
    assert after["consistency"] > before["consistency"] + 0.1, (before, after)
    assert after["iou"] > before["iou"] + 0.1, (before, after)
