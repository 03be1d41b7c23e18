"""Does the StyleGAN recipe train as chapter 7's notebook does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: the notebook's settings and data; one trainer step
is the notebook's `make_stylegan_step` (the same losses, R1 penalty included, and the same
weights of the critic, the mapping and the synthesis networks after, from the same weights, z
and noise maps), on TensorFlow and on JAX; samples are the generator's items cropped to the
evaluator's 28 x 28; and the handed-in files rebuild, as the grader rebuilds them, the networks
a run trained.
"""

import itertools
import json
import sys

import keras
import numpy as np
import pytest
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import TrainConfig, load_recipe, reference
from igcourse.training.seeds import StepSeed
from igcourse.training.testing import run_code

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")
NETWORKS = ("mapping", "generator", "critic")
BATCH = 4


def smoke(**extra):
    return load_recipe("stylegan", {**load_recipe("stylegan").smoke, **extra})


def module():
    smoke()
    return sys.modules["igcourse_recipes.stylegan"]


def stylegan():
    return reference("ch07_face_generation", "stylegan")


def as_numpy(x):
    return ops.convert_to_numpy(x)


def trainable(models):
    return {name: [as_numpy(v) for v in models[name].trainable_variables] for name in NETWORKS}


def test_settings_data_and_updates_are_the_notebooks():
    reference_module = stylegan()
    recipe = load_recipe("stylegan")
    config = recipe.config
    assert (config.latent_dim, config.filters, config.mapping_layers) == (64, 32, 4)
    assert (config.latent_dim, config.filters, config.mapping_layers, config.r1_gamma) == (
        reference_module.LATENT_DIM,
        reference_module.FILTERS,
        reference_module.MAPPING_LAYERS,
        reference_module.R1_GAMMA,
    )
    assert config.batch_size == 32 and config.eval_samples == 1000  # the grader's 1,000 items
    assert recipe.target == ("fd", 120.0)
    assert [(u.objective, u.trains, u.optimizer) for u in recipe.updates()] == [
        ("c_loss", ("critic",), "c_adam"),
        ("g_loss", ("mapping", "generator"), "g_adam"),
    ]
    optimizers = recipe.build_optimizers()
    assert optimizers["g_adam"] is not optimizers["c_adam"]
    for optimizer in optimizers.values():
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert np.isclose(float(optimizer.learning_rate), 2e-3)
        assert (float(optimizer.beta_1), float(optimizer.beta_2)) == (0.0, 0.99)
        assert optimizer.epsilon == 1e-8
    # The notebook's data: 32 x 32 with a black border of two pixels (-1 in [-1, 1]).
    (pixels,) = recipe.train_data()
    images = load_fashion_mnist("train")[0]
    assert pixels.shape == (60000, 32, 32, 1) and pixels.dtype == np.uint8
    np.testing.assert_array_equal(pixels[:, 2:30, 2:30, 0], images)
    border = np.ones((32, 32), bool)
    border[2:30, 2:30] = False
    assert not pixels[:, border].any()


STEP_SETTINGS = {"latent_dim": 8, "filters": 4, "mapping_layers": 2, "batch_size": BATCH}


def step_recipe():
    return smoke(**STEP_SETTINGS)  # small networks, z and w of 8 numbers


def plain_sgd():
    """Both sides' optimisers in the step tests. Adam's first step with beta_1 = 0 is about
    lr * sign(gradient): blind to a gradient's size, and it magnifies the rounding of a
    gradient that is near zero (tried: four centre taps of a synthesis kernel, whose input is
    spatially constant and whose output is instance-normalised, came out up to lr / 4 apart
    between the two sides, on TensorFlow and on JAX)."""
    return {"c_adam": keras.optimizers.SGD(0.1), "g_adam": keras.optimizers.SGD(0.1)}


def step_draws(latent_dim):
    """What the trainer's two updates draw at step 0 of seed 0, on this process's backend (TF
    and JAX draw other numbers from one seed): per update, z then the eight noise maps."""
    draws = []
    for stream in (0, 1):
        seed = StepSeed(np.zeros(2, "int32"), stream)
        z = keras.random.normal((BATCH, latent_dim), seed=seed)
        maps = module().noise_maps(BATCH, seed)
        draws.append((as_numpy(z), [as_numpy(m) for m in maps]))
    return draws


class WithNoise:
    """The generator as the notebook's step calls it, generator(ws, training=True), with the
    given noise maps: the critic update's, then the generator update's (the notebook's layers
    would draw their own)."""

    def __init__(self, generator, critic_maps, generator_maps):
        self.generator = generator
        self._maps = itertools.cycle([critic_maps, generator_maps])  # a retrace starts again

    @property
    def trainable_variables(self):
        return self.generator.trainable_variables

    def __call__(self, ws, training=False):
        return self.generator(ws, noise=next(self._maps), training=training)


def notebook_step(folder, batch, draws):
    """make_stylegan_step once from the saved weights, with the trainer's z and noise maps:
    its losses and the networks' trainable weights after."""
    import tensorflow as tf

    recipe = step_recipe()
    keras.utils.set_random_seed(1)
    models = recipe.build_models()
    for name in NETWORKS:
        models[name].load_weights(folder / f"{name}.weights.h5")
    (critic_z, critic_maps), (generator_z, generator_maps) = draws
    optimizers = plain_sgd()
    optimizers["c_adam"].build(models["critic"].trainable_variables)
    optimizers["g_adam"].build(
        models["mapping"].trainable_variables + models["generator"].trainable_variables
    )
    step = stylegan().make_stylegan_step(
        models["mapping"],
        WithNoise(models["generator"], critic_maps, generator_maps),
        models["critic"],
        optimizers["g_adam"],
        optimizers["c_adam"],
        r1_gamma=recipe.config.r1_gamma,
    )
    real = tf.constant(batch.astype(np.float32) / 127.5 - 1.0)
    c_loss, g_loss = step(real, tf.constant(critic_z), tf.constant(generator_z))
    return {"c_loss": float(c_loss), "g_loss": float(g_loss)}, trainable(models)


@pytest.fixture(scope="module")
def saved_start(tmp_path_factory):
    """New networks' weights and a batch of real items, saved in a folder. Their noise
    strengths are zero, so the maps leave the losses alone; the strengths' gradients are sums
    over the maps, so both sides take the same maps."""
    recipe = step_recipe()
    folder = tmp_path_factory.mktemp("stylegan_step")
    keras.utils.set_random_seed(0)
    models = recipe.build_models()
    for name in NETWORKS:
        models[name].save_weights(folder / f"{name}.weights.h5")
    (pixels,) = recipe.train_data()
    batch = pixels[100 : 100 + BATCH]
    np.save(folder / "batch.npy", batch)
    return folder, batch


def check_step(got, expected, after, expected_after):
    assert set(got) == {"c_loss", "c_logistic", "r1", "g_loss"}
    for name, value in expected.items():
        assert np.isclose(got[name], value, rtol=1e-5, atol=1e-6), (name, got[name], value)
    assert got["r1"] > 1e-3  # the penalty counts in the compared critic loss
    for name in NETWORKS:
        assert len(after[name]) == len(expected_after[name]), name
        for a, b in zip(after[name], expected_after[name], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6, err_msg=name)


@TF_ONLY
def test_a_trainer_step_is_the_notebooks_step(saved_start):
    from igcourse.training.engine_tensorflow import TensorFlowEngine

    folder, batch = saved_start
    recipe = step_recipe()
    expected, expected_after = notebook_step(folder, batch, step_draws(8))
    keras.utils.set_random_seed(2)
    models = recipe.build_models()
    for name in NETWORKS:
        models[name].load_weights(folder / f"{name}.weights.h5")
    before = trainable(models)
    engine = TensorFlowEngine(seed=0, compile_mode="eager")
    engine.compile(models, plain_sgd(), recipe.updates())
    got = {k: float(v) for k, v in engine.step((batch,), 0).items()}
    after = trainable(models)
    check_step(got, expected, after, expected_after)
    for name in NETWORKS:  # every network moved, the noise strengths too
        moved = [not np.array_equal(a, b) for a, b in zip(after[name], before[name], strict=True)]
        assert any(moved), name
    assert all(np.abs(as_numpy(layer.strength)).max() > 0 for layer in models["generator"].noises)


# On JAX (a process without TensorFlow): the draws of step 0, then one trainer step (plain SGD)
# from the weights and batch the fixture saved; the losses and the weights after.
JAX_CODE = """
import json, sys
import numpy as np, keras
from igcourse.training import load_recipe
from igcourse.training.engine_jax import JaxEngine
from igcourse.training.seeds import StepSeed
folder = sys.argv[1] if len(sys.argv) > 1 else {folder!r}
settings = {settings!r}
names = ("mapping", "generator", "critic")
recipe = load_recipe("stylegan", {{**load_recipe("stylegan").smoke, **settings}})
noise_maps = sys.modules["igcourse_recipes.stylegan"].noise_maps
arrays = {{}}
for stream in (0, 1):
    seed = StepSeed(np.zeros(2, "int32"), stream)
    arrays[f"z{{stream}}"] = np.asarray(keras.random.normal((4, 8), seed=seed))
    for i, m in enumerate(noise_maps(4, seed)):
        arrays[f"noise{{stream}}/{{i}}"] = np.asarray(m)
models = recipe.build_models()
for name in names:
    models[name].load_weights(folder + "/" + name + ".weights.h5")
optimizers = {{"c_adam": keras.optimizers.SGD(0.1), "g_adam": keras.optimizers.SGD(0.1)}}
engine = JaxEngine(seed=0)
engine.compile(models, optimizers, recipe.updates())
logs = engine.step((np.load(folder + "/batch.npy"),), 0)
engine.pull()
report = {{k: float(v) for k, v in logs.items()}}
for name in names:
    for i, v in enumerate(models[name].trainable_variables):
        arrays[f"{{name}}/{{i:03d}}"] = np.asarray(v.value)
np.savez(folder + "/jax.npz", **arrays)
print("REPORT " + json.dumps(report))
"""


@TF_ONLY  # the notebook's step is TensorFlow code
def test_on_jax_a_trainer_step_is_the_notebooks_step(saved_start):
    folder, batch = saved_start
    code = JAX_CODE.format(folder=str(folder), settings=STEP_SETTINGS)
    done = run_code(code, "jax", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("REPORT ")][-1]
    report = json.loads(line.removeprefix("REPORT "))
    with np.load(folder / "jax.npz") as arrays:
        saved = {k: arrays[k] for k in arrays.files}
    maps = stylegan().NUM_STYLES
    draws = [(saved[f"z{s}"], [saved[f"noise{s}/{i}"] for i in range(maps)]) for s in (0, 1)]
    tf_z = step_draws(8)[0][0]
    assert not np.allclose(draws[0][0], tf_z)  # JAX's own draws: the TF test does not cover it
    expected, expected_after = notebook_step(folder, batch, draws)
    after = {
        name: [saved[k] for k in sorted(saved) if k.startswith(f"{name}/")] for name in NETWORKS
    }
    check_step(report, expected, after, expected_after)


def test_samples_are_the_generators_items_cropped_to_the_evaluators_size():
    module_ = stylegan()
    recipe = smoke()
    keras.utils.set_random_seed(2)
    models = recipe.build_models()
    for layer in models["generator"].noises:  # noise that shows: strengths away from zero
        layer.strength.assign(np.full(layer.strength.shape, 0.5, np.float32))
    tiles = as_numpy(recipe.sample(models, 6, StepSeed(np.array([3, 4], "int32"))))
    assert tiles.shape == (6, 28, 28, 1) and tiles.min() >= 0.0 and tiles.max() <= 1.0
    seed = StepSeed(np.array([3, 4], "int32"))
    z = keras.random.normal((6, recipe.config.latent_dim), seed=seed)
    noise = module().noise_maps(6, seed)
    images = as_numpy(models["generator"](module_.broadcast_w(models["mapping"](z)), noise=noise))
    expected = np.clip((images[:, 2:30, 2:30] + 1.0) / 2.0, 0.0, 1.0)
    np.testing.assert_allclose(tiles, expected, rtol=1e-5, atol=1e-6)
    assert tiles.std() > 0
    other = as_numpy(recipe.sample(models, 6, StepSeed(np.array([3, 5], "int32"))))
    assert not np.allclose(other, tiles)  # the seed draws the items


@TF_ONLY
def test_the_handed_in_files_rebuild_the_trained_networks(tmp_path):
    """One trainer step, handed in: build_trained_stylegan(**settings) loads the weights file
    and gives the run's items; w_avg is the mean style of 10,000 z."""
    from igcourse.training.loop import Trainer

    module_ = stylegan()
    out = tmp_path / "run"
    config = TrainConfig(
        out=str(out),
        steps=1,
        log_every=1,
        sample_every=0,
        eval_every=0,
        checkpoint_every=0,
        progress=False,
        tf_compile="graph",
    )
    trainer = Trainer(smoke(), config)
    trainer.run()
    weights, settings_file = module().hand_in(out, tmp_path / "handed_in")
    assert (weights.name, settings_file.name) == ("stylegan.weights.h5", "stylegan.json")
    settings = json.loads(settings_file.read_text())
    assert settings == {"latent_dim": 8, "filters": 4, "mapping_layers": 2}
    keras.utils.set_random_seed(5)
    rebuilt = module_.build_trained_stylegan(**settings)
    rebuilt.load_weights(weights)
    mapping, generator = trainer.models["mapping"], trainer.models["generator"]
    z = np.random.default_rng(0).standard_normal((5, 8)).astype(np.float32)
    noise = module().noise_maps(5, StepSeed(np.array([0, 1], "int32")))
    got = as_numpy(rebuilt(z, noise=noise))
    expected = as_numpy(generator(module_.broadcast_w(mapping(z)), noise=noise))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    w_avg = as_numpy(rebuilt.w_avg)
    np.testing.assert_allclose(w_avg, module().mean_style(mapping), rtol=1e-5, atol=1e-7)
    assert np.abs(w_avg).max() > 0
