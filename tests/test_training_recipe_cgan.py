"""Does the conditional GAN recipe train as chapter 4's notebook does?

tests/test_training_recipes.py already runs every recipe for 3 steps on both backends; these
tests check what is particular to this one: the notebook's settings; D judges the real images
with their own labels and G's images with the labels they were drawn for, G is scored with
the labels it was asked for, on the reference's losses; fake labels are uniform over the
classes; each update changes only its own network (and all of it, label embedding included);
samples ask for every class in equal shares.
"""

import keras
import numpy as np
import pytest
from keras import ops

from igcourse.training import TrainConfig, load_recipe, reference
from igcourse.training.seeds import StepSeed

TF_ONLY = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TF backend")


def smoke(**extra):
    return load_recipe("cgan", {**load_recipe("cgan").smoke, **extra})


def as_numpy(x):
    return ops.convert_to_numpy(x)


class Recorder:
    """Calls `model` (a keras.Model or a function) and records its inputs and outputs."""

    def __init__(self, model):
        self.model, self.calls = model, []

    def __call__(self, inputs, training=False):
        out = self.model(inputs, training=training)
        self.calls.append(
            {"inputs": [as_numpy(x) for x in inputs], "out": out, "training": training}
        )
        return out


def a_batch(rng, size):
    pixels = rng.integers(0, 256, size=(size, 28, 28, 1)).astype(np.uint8)
    labels = rng.integers(0, 10, size=size).astype(np.uint8)
    return pixels, labels


def test_settings_updates_and_optimisers_are_the_notebooks():
    recipe = load_recipe("cgan")
    config = recipe.config
    assert (config.z_dim, config.filters, config.num_classes, config.batch_size) == (64, 32, 10, 64)
    updates = [(u.objective, tuple(u.trains), u.optimizer) for u in recipe.updates()]
    assert updates == [
        ("d_loss", ("discriminator",), "d_adam"),
        ("g_loss", ("generator",), "g_adam"),
    ]
    optimizers = recipe.build_optimizers()
    assert optimizers["d_adam"] is not optimizers["g_adam"]  # no shared Adam moments
    for optimizer in optimizers.values():
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert np.isclose(float(optimizer.learning_rate), 2e-4)
        assert np.isclose(float(optimizer.beta_1), 0.5)


@TF_ONLY
def test_each_image_is_judged_with_its_own_label_on_the_reference_losses():
    ref = reference("ch04_image_translation", "cgan")
    recipe = smoke()
    keras.utils.set_random_seed(0)
    models = recipe.build_models()
    pixels, labels = a_batch(np.random.default_rng(0), 16)
    real = pixels.astype(np.float32) / 127.5 - 1.0

    g, d = Recorder(models["generator"]), Recorder(models["discriminator"])
    got = recipe.d_loss({"generator": g, "discriminator": d}, (pixels, labels), StepSeed([3, 4]))
    assert len(g.calls) == 1 and len(d.calls) == 2
    assert all(call["training"] for call in g.calls + d.calls)
    z, fake_labels = g.calls[0]["inputs"]
    fake = as_numpy(g.calls[0]["out"])
    assert fake_labels.min() >= 0 and fake_labels.max() < 10
    assert not np.array_equal(fake_labels, labels)  # drawn, not the real images' labels
    # Which call judged the real images does not matter; each image goes with its own label.
    real_call, fake_call = sorted(d.calls, key=lambda c: not np.allclose(c["inputs"][0], real))
    np.testing.assert_allclose(real_call["inputs"][0], real, atol=1e-6)
    np.testing.assert_array_equal(real_call["inputs"][1], labels)
    np.testing.assert_array_equal(fake_call["inputs"][0], fake)
    np.testing.assert_array_equal(fake_call["inputs"][1], fake_labels)
    expected = ref.discriminator_loss(real_call["out"], fake_call["out"])
    assert np.isclose(float(got["d_loss"]), float(expected), rtol=1e-6)

    g, d = Recorder(models["generator"]), Recorder(models["discriminator"])
    got = recipe.g_loss({"generator": g, "discriminator": d}, (pixels, labels), StepSeed([5, 6]))
    assert len(g.calls) == 1 and len(d.calls) == 1
    assert g.calls[0]["training"] and d.calls[0]["training"]
    np.testing.assert_array_equal(d.calls[0]["inputs"][0], as_numpy(g.calls[0]["out"]))
    np.testing.assert_array_equal(d.calls[0]["inputs"][1], g.calls[0]["inputs"][1])
    assert not np.array_equal(g.calls[0]["inputs"][1], labels)
    expected = ref.generator_loss(d.calls[0]["out"])
    assert np.isclose(float(got["g_loss"]), float(expected), rtol=1e-6)


def test_fake_labels_are_drawn_uniformly_over_the_classes():
    recipe = smoke()
    size = 5000
    generator = Recorder(lambda inputs, training: ops.zeros((size, 28, 28, 1)))
    discriminator = Recorder(lambda inputs, training: ops.zeros((size, 1)))
    models = {"generator": generator, "discriminator": discriminator}
    batch = (np.zeros((size, 28, 28, 1), np.uint8), np.zeros(size, np.uint8))  # all class 0
    recipe.d_loss(models, batch, StepSeed([1, 2]))
    recipe.g_loss(models, batch, StepSeed([1, 3]))
    for call in generator.calls:
        counts = np.bincount(call["inputs"][1], minlength=10)
        assert len(counts) == 10 and counts.min() > 400 and counts.max() < 600, (
            counts
        )  # 500 +- 5 sd


def changes(engine_models, before):
    return {
        name: [
            not np.array_equal(as_numpy(v), old)
            for v, old in zip(model.trainable_variables, before[name], strict=True)
        ]
        for name, model in engine_models.items()
    }


@TF_ONLY
def test_each_update_changes_all_of_its_own_network_and_nothing_of_the_other():
    from igcourse.training.engine_tensorflow import TensorFlowEngine

    recipe = smoke()
    batch = a_batch(np.random.default_rng(1), 8)
    for number, (own, other) in enumerate(
        [("discriminator", "generator"), ("generator", "discriminator")]
    ):
        keras.utils.set_random_seed(number)
        models, optimizers = recipe.build_models(), recipe.build_optimizers()
        before = {n: [as_numpy(v) for v in m.trainable_variables] for n, m in models.items()}
        engine = TensorFlowEngine(seed=0, compile_mode="eager")
        engine.compile(models, optimizers, recipe.updates()[number : number + 1])
        logs = engine.step(batch, 0)
        assert all(np.isfinite(float(v)) for v in logs.values()), logs
        changed = changes(models, before)
        assert all(changed[own]), (own, changed[own])  # the label embedding too
        assert not any(changed[other]), (other, changed[other])


def test_samples_ask_for_every_class_in_equal_shares_in_the_evaluators_range():
    recipe = smoke()
    keras.utils.set_random_seed(1)
    models = recipe.build_models()
    generator = Recorder(models["generator"])
    images = as_numpy(recipe.sample({"generator": generator}, 20, StepSeed([1, 2])))
    assert images.shape == (20, 28, 28, 1)
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert generator.calls[0]["training"] is False
    np.testing.assert_array_equal(generator.calls[0]["inputs"][1], np.repeat(np.arange(10), 2))
    np.testing.assert_array_equal(recipe.sample_labels(20), np.repeat(np.arange(10), 2))


@TF_ONLY
def test_evaluations_measure_class_consistency_against_the_asked_labels(tmp_path):
    from igcourse.training.loop import Trainer

    config = TrainConfig(
        out=str(tmp_path),
        steps=1,
        log_every=1,
        sample_every=0,
        eval_every=1,
        checkpoint_every=0,
        progress=False,
        tf_compile="graph",
    )
    trainer = Trainer(smoke(eval_samples=100), config)
    trainer.run()
    (record,) = [r for r in trainer.evaluations if "fd" in r]
    assert 0.0 <= record["class_consistency"] <= 1.0  # an untrained generator: about 0.1


def test_a_target_may_ask_for_at_least_a_value():
    """gpu_check's time to target: class consistency counts once it is high enough."""
    import os
    import runpy

    from igcourse.paths import repo_root

    # The script sets KERAS_BACKEND=jax for its own process: the processes later tests start
    # inherit this one's environment, so it is put back.
    backend = os.environ.get("KERAS_BACKEND")
    try:
        script = runpy.run_path(str(repo_root() / "scripts" / "gpu_check.py"))
    finally:
        if backend is None:
            os.environ.pop("KERAS_BACKEND", None)
        else:
            os.environ["KERAS_BACKEND"] = backend
    time_to_target = script["time_to_target"]
    evaluations = [
        {"step": 5, "seconds": 1.0, "class_consistency": 0.2},
        {"step": 10, "seconds": 2.0, "class_consistency": 0.35},
    ]
    reached = time_to_target(evaluations, load_recipe("cgan").target)
    assert load_recipe("cgan").target == ("class_consistency", 0.3, "at_least")
    assert (reached["step"], reached["seconds"]) == (10, 2.0)
    assert time_to_target(evaluations, ("class_consistency", 0.3))["step"] == 5  # at most


@TF_ONLY
def test_a_few_steps_with_the_smoke_settings_train_both_networks(tmp_path):
    from igcourse.training.loop import Trainer

    # XLA is what test_training_recipes.py runs; a plain tf.function compiles faster.
    config = TrainConfig(
        out=str(tmp_path),
        steps=2,
        log_every=1,
        sample_every=0,
        eval_every=0,
        checkpoint_every=0,
        progress=False,
        tf_compile="graph",
    )
    trainer = Trainer(smoke(), config)
    result = trainer.run()
    assert set(result.last) == {"d_loss", "g_loss"}
    assert all(np.isfinite(v) for v in result.last.values()), result.last
    assert int(trainer.optimizers["d_adam"].iterations) == 2
    assert int(trainer.optimizers["g_adam"].iterations) == 2
