"""Does the ProGAN recipe train as chapter 7's notebook does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends (the smoke
settings fade over 2 steps, so JAX runs the fade too); these tests check what is particular to
this one: the notebook's settings and data; one trainer step is the notebook's `make_progan_step`
at the run's stage and alpha (the same losses and both networks' weights after, from the same
weights, batch, z and epsilon), mid-fade and stable; exactly the layers a stage uses are trained;
alpha follows the trainer's steps; `init` continues a run's networks; samples are the
generator's items cropped to the evaluator's 28 x 28; and the handed-in files rebuild, as the
grader rebuilds them, the generator a run trained.
"""

import json
import sys

import keras
import numpy as np
import pytest
from keras import ops

from igcourse.data import load_fashion_mnist
from igcourse.training import TrainConfig, load_recipe, reference
from igcourse.training.reporting import read_metrics
from igcourse.training.seeds import StepSeed

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")
NETWORKS = ("generator", "critic")
BATCH = 4
LATENT = 8


def smoke(**extra):
    return load_recipe("progan", {**load_recipe("progan").smoke, **extra})


def module():
    smoke()
    return sys.modules["igcourse_recipes.progan"]


def progan():
    return reference("ch07_face_generation", "progan")


def as_numpy(x):
    return ops.convert_to_numpy(x)


def weights(models):
    """Every weight of both networks (frozen ones too), in creation order."""
    return {name: [as_numpy(v) for v in models[name].weights] for name in NETWORKS}


# The notebook's data helpers (progan.ipynb; the reference module does not export them).
def shrink(images, size):
    n, full = len(images), images.shape[1]
    factor = full // size
    return images.reshape(n, size, factor, size, factor, -1).mean(axis=(2, 4))


def grow(images, size):
    factor = size // images.shape[1]
    return images.repeat(factor, axis=1).repeat(factor, axis=2)


def notebook_real_at(images, stage, alpha=1.0):
    size = 4 * 2**stage
    new = shrink(images, size)
    if stage == 0 or alpha >= 1.0:
        return new
    old = grow(shrink(images, size // 2), size)
    return old + alpha * (new - old)


def test_settings_data_and_updates_are_the_notebooks():
    reference_module = progan()
    recipe = load_recipe("progan")
    config = recipe.config
    assert (config.latent_dim, config.filters) == (
        reference_module.LATENT_DIM,
        reference_module.FILTERS,
    )
    assert (config.latent_dim, config.filters, config.stage) == (64, 16, 3)
    assert (config.gp_weight, config.drift_weight, config.fade_steps) == (10.0, 0.001, 3000)
    assert config.batch_size == 32 and config.eval_samples == 1000  # the grader's 1,000 items
    assert recipe.target == ("fd", 175.0)
    assert [(u.objective, u.trains, u.optimizer) for u in recipe.updates()] == [
        ("c_loss", ("critic",), "c_adam"),
        ("g_loss", ("generator",), "g_adam"),
    ]
    optimizers = recipe.build_optimizers()
    assert optimizers["g_adam"] is not optimizers["c_adam"]
    for optimizer in optimizers.values():
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert np.isclose(float(optimizer.learning_rate), 1e-3)
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
    with pytest.raises(ValueError, match="stage"):
        load_recipe("progan", {"stage": 4})


def test_alpha_and_real_images_are_the_notebooks():
    recipe_module = module()
    fade = recipe_module.fade_alpha
    assert [float(fade(k, 2, 4)) for k in range(6)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    assert fade(7, 0, 4) == 1.0 and fade(0, 3, 0) == 1.0  # stage 0 and no fade: alpha 1
    batch = smoke().train_data()[0][:3].astype(np.float32) / 127.5 - 1.0
    for stage, alpha in [(0, 1.0), (1, 0.3), (2, 0.75), (3, 1.0), (3, 0.1)]:
        got = as_numpy(recipe_module.real_at(ops.convert_to_tensor(batch), stage, alpha))
        expected = notebook_real_at(batch, stage, alpha)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6, err_msg=str(stage))


def plain_sgd():
    """Both sides' optimisers in the step tests: Adam's first step with beta_1 = 0 is about
    lr * sign(gradient), blind to a gradient's size (as the StyleGAN test explains)."""
    return {"c_adam": keras.optimizers.SGD(0.1), "g_adam": keras.optimizers.SGD(0.1)}


def step_draws(step):
    """What the trainer's two updates draw at `step` of seed 0: the critic's z and epsilon,
    then the generator's z."""
    critic = StepSeed(np.array([0, step], "int32"), 0)
    critic_z = keras.random.normal((BATCH, LATENT), seed=critic)
    epsilon = keras.random.uniform((BATCH, 1, 1, 1), seed=critic)
    generator = StepSeed(np.array([0, step], "int32"), 1)
    generator_z = keras.random.normal((BATCH, LATENT), seed=generator)
    return as_numpy(critic_z), as_numpy(epsilon), as_numpy(generator_z)


def reference_networks(folder):
    """The reference's networks, built at every stage and loaded from `folder`."""
    reference_module = progan()
    generator = reference_module.build_trained_generator(LATENT, 4, reference_module.STAGES - 1)
    critic = reference_module.ProDiscriminator(filters=4)
    for stage in range(reference_module.STAGES):
        side = reference_module.stage_resolution(stage)
        critic(np.zeros((1, side, side, 1), np.float32), stage=stage)
    generator.load_weights(folder / "generator.weights.h5")
    critic.load_weights(folder / "critic.weights.h5")
    return {"generator": generator, "critic": critic}


def notebook_step(folder, batch, stage, step, alpha):
    """make_progan_step once from the saved weights, with the trainer's draws of `step`: its
    losses and both networks' weights after."""
    import tensorflow as tf

    keras.utils.set_random_seed(1)
    models = reference_networks(folder)
    optimizers = plain_sgd()
    train = progan().make_progan_step(
        models["generator"], models["critic"], optimizers["g_adam"], optimizers["c_adam"], stage
    )
    real = notebook_real_at(batch.astype(np.float32) / 127.5 - 1.0, stage, alpha)
    critic_z, epsilon, generator_z = step_draws(step)
    c_loss, g_loss = train(
        tf.constant(real.astype(np.float32)),
        tf.constant(critic_z),
        tf.constant(generator_z),
        tf.constant(epsilon),
        tf.constant(alpha, tf.float32),
    )
    return {"c_loss": float(c_loss), "g_loss": float(g_loss)}, weights(models)


@pytest.fixture(scope="module")
def saved_start(tmp_path_factory):
    """New networks' weights (every stage) and a batch of real items, saved in a folder."""
    folder = tmp_path_factory.mktemp("progan_step")
    keras.utils.set_random_seed(0)
    models = smoke().build_models()
    for name in NETWORKS:
        models[name].save_weights(folder / f"{name}.weights.h5")
    (pixels,) = smoke().train_data()
    return folder, pixels[100 : 100 + BATCH]


@TF_ONLY
@pytest.mark.parametrize(
    ("stage", "step", "alpha"),
    [(2, 1, 0.5), (3, 5, 1.0)],  # fade_steps 4: mid-fade at step 1, stable from step 3
    ids=["stage2-fading", "stage3-stable"],
)
def test_a_trainer_step_is_the_notebooks_step(saved_start, stage, step, alpha):
    from igcourse.training.engine_tensorflow import TensorFlowEngine

    folder, batch = saved_start
    expected, expected_after = notebook_step(folder, batch, stage, step, alpha)
    recipe = smoke(stage=stage, fade_steps=4, init=str(folder))
    keras.utils.set_random_seed(2)
    models = recipe.build_models()  # init: the saved weights
    before = weights(models)
    engine = TensorFlowEngine(seed=0, compile_mode="eager")
    engine.compile(models, plain_sgd(), recipe.updates())
    got = {k: float(v) for k, v in engine.step((batch,), step).items()}
    after = weights(models)
    assert set(got) == {"c_loss", "c_wasserstein", "gp", "alpha", "g_loss"}
    assert got["alpha"] == alpha
    assert got["gp"] > 1e-2  # the penalty counts in the compared critic loss
    for name, value in expected.items():
        assert np.isclose(got[name], value, rtol=1e-5, atol=1e-6), (name, got[name], value)
    for name in NETWORKS:
        assert len(after[name]) == len(expected_after[name]), name
        for a, b in zip(after[name], expected_after[name], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6, err_msg=name)
        moved = [not np.array_equal(a, b) for a, b in zip(after[name], before[name], strict=True)]
        assert any(moved) and not all(moved), name  # later stages' layers stay


@TF_ONLY
def test_each_stage_trains_exactly_the_layers_it_uses():
    """The trainable weights of a stage's run are those its losses reach (mid-fade, so the old
    path counts), as the notebook's step keeps the gradients that are not None."""
    import tensorflow as tf

    (pixels,) = smoke().train_data()
    batch = (tf.constant(pixels[:BATCH]),)
    for stage in range(progan().STAGES):
        recipe = smoke(stage=stage, fade_steps=4)
        models = recipe.build_models()
        seed = StepSeed(np.array([0, 1], "int32"))  # alpha 0.5
        for name, loss in (("critic", recipe.c_loss), ("generator", recipe.g_loss)):
            variables = models[name].weights
            with tf.GradientTape() as tape:
                objective = loss(models, batch, seed)[f"{name[0]}_loss"]
            gradients = tape.gradient(objective, variables)
            reached = {id(v) for v, g in zip(variables, gradients, strict=True) if g is not None}
            trainable = {id(v) for v in models[name].trainable_variables}
            assert reached == trainable, (stage, name)
            assert len(trainable) < len(variables), (stage, name)  # other stages' layers


def test_samples_are_the_generators_items_cropped_to_the_evaluators_size():
    for stage in (3, 1):
        recipe = smoke(stage=stage)
        keras.utils.set_random_seed(2)
        models = recipe.build_models()
        tiles = as_numpy(recipe.sample(models, 6, StepSeed(np.array([3, 4], "int32"))))
        assert tiles.shape == (6, 28, 28, 1) and tiles.min() >= 0.0 and tiles.max() <= 1.0
        z = keras.random.normal((6, LATENT), seed=StepSeed(np.array([3, 4], "int32")))
        images = as_numpy(models["generator"](z, stage=stage))
        images = grow(images, 32)  # stage 3: unchanged; stage 1: the notebook's pictures
        expected = np.clip((images[:, 2:30, 2:30] + 1.0) / 2.0, 0.0, 1.0)
        np.testing.assert_allclose(tiles, expected, rtol=1e-5, atol=1e-6)
        assert tiles.std() > 0


@TF_ONLY
def test_alpha_follows_the_steps_and_the_handed_in_files_rebuild_the_generator(tmp_path):
    """Three trainer steps fading over two log alpha 0.5, 1, 1; `init` continues the run's
    networks; hand_in writes files that build_trained_generator(**settings) loads to the run's
    generator; hand_in refuses a run of an earlier stage."""
    from igcourse.training.loop import Trainer

    reference_module = progan()
    out = tmp_path / "run"
    config = TrainConfig(
        out=str(out),
        steps=3,
        log_every=1,
        sample_every=0,
        eval_every=0,
        checkpoint_every=0,
        progress=False,
        tf_compile="graph",
    )
    trainer = Trainer(smoke(), config)
    trainer.run()
    train = [r for r in read_metrics(out / "metrics.jsonl") if r["kind"] == "train"]
    assert [r["alpha"] for r in train] == [0.5, 1.0, 1.0]
    trained = weights(trainer.models)

    continued = smoke(init=str(out)).build_models()
    for name in NETWORKS:
        for a, b in zip(weights(continued)[name], trained[name], strict=True):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="latent_dim"):
        smoke(init=str(out), latent_dim=16).build_models()

    weights_file, settings_file = module().hand_in(out, tmp_path / "handed_in")
    assert (weights_file.name, settings_file.name) == (
        "progan_generator.weights.h5",
        "progan_generator.json",
    )
    settings = json.loads(settings_file.read_text())
    assert settings == {"latent_dim": LATENT, "filters": 4, "stage": 3}
    keras.utils.set_random_seed(5)
    rebuilt = reference_module.build_trained_generator(**settings)
    rebuilt.load_weights(weights_file)
    z = np.random.default_rng(0).standard_normal((5, LATENT)).astype(np.float32)
    got = as_numpy(rebuilt(z, stage=3))
    np.testing.assert_allclose(got, as_numpy(trainer.models["generator"](z, stage=3)), atol=1e-6)

    early = tmp_path / "early"
    early.mkdir()
    recorded = json.loads((out / "config.json").read_text())
    recorded["recipe_config"]["stage"] = 1
    (early / "config.json").write_text(json.dumps(recorded))
    with pytest.raises(ValueError, match="stage 1"):
        module().hand_in(early, tmp_path / "refused")
