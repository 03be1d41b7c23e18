"""The trainer on the TensorFlow backend, in this process: resume, precision, compile modes."""

import sys
import types

import keras
import numpy as np
import pytest

from igcourse.training import TrainConfig, load_recipe
from igcourse.training.loop import Trainer
from igcourse.training.reporting import read_metrics

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="these tests run Keras on TensorFlow"
)


def tiny(name="pixelcnn"):
    return load_recipe(name, load_recipe(name).smoke)


def quiet(out, **settings):
    # Graph mode, because XLA's compile time would dominate these tiny runs; XLA itself is
    # tested below and in test_training_recipes.py.
    base = dict(out=str(out), log_every=1, sample_every=0, eval_every=0, progress=False)
    base["tf_compile"] = "graph"
    return TrainConfig(**{**base, **settings})


def weights(trainer):
    models = trainer.models.values()
    return [keras.ops.convert_to_numpy(v) for model in models for v in model.weights]


def test_batches_gathered_on_the_device_train_as_the_tf_data_batches_do(tmp_path, monkeypatch):
    from igcourse.training import engine_tensorflow
    from igcourse.training.toy import ToyGAN

    final = {}
    for limit in (engine_tensorflow.GATHER_LIMIT_BYTES, 0):  # 0: every array is too large
        monkeypatch.setattr(engine_tensorflow, "GATHER_LIMIT_BYTES", limit)
        trainer = Trainer(ToyGAN(), quiet(tmp_path / str(limit), steps=20))  # 2.5 epochs
        trainer.run()
        assert (trainer.engine._columns is not None) == (limit > 0)
        final[limit] = weights(trainer)
    for gathered, batched in zip(*final.values(), strict=True):
        np.testing.assert_allclose(gathered, batched, rtol=1e-6, atol=1e-7)


class Interrupted(Exception):
    """Stands for a kill: the run stops between steps without saving anything."""


def stop_after(k):
    def on_step(step, logs):
        if step == k:
            raise Interrupted

    return on_step


def test_step_seeds_repeat_for_the_same_step_and_differ_between_draws():
    from igcourse.training.seeds import StepSeed

    def draws(step):
        seed = StepSeed(np.array([7, step]))
        return [keras.ops.convert_to_numpy(keras.random.normal((3,), seed=seed)) for _ in "ab"]

    a1, b1 = draws(5)
    a2, b2 = draws(5)
    (a3, _b3) = draws(6)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.allclose(a1, b1) and not np.allclose(a1, a3)


def test_input_gradients_are_right_and_can_be_differentiated_again():
    import tensorflow as tf

    from igcourse.training.autodiff import input_gradients

    x = tf.constant([[1.0, -2.0], [0.5, 3.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        grads = input_gradients(lambda t: keras.ops.sum(t**3, axis=1), x)  # 3 x^2
        total = keras.ops.sum(grads)
    np.testing.assert_allclose(grads.numpy(), 3 * x.numpy() ** 2, rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(total, x).numpy(), 6 * x.numpy(), rtol=1e-6)


def test_a_resumed_run_continues_the_step_count_and_ends_where_an_uninterrupted_one_does(
    tmp_path,
):
    whole = Trainer(tiny(), quiet(tmp_path / "whole", steps=5))
    whole.run()
    broken = Trainer(tiny(), quiet(tmp_path / "run", steps=5, checkpoint_every=2), stop_after(3))
    with pytest.raises(Interrupted):
        broken.run()  # killed after step 3: the last checkpoint is step 2's
    resumed = Trainer(tiny(), quiet(tmp_path / "run", steps=5, resume=True))
    result = resumed.run()
    assert (result.step, result.steps_run) == (5, 3)
    steps = [r["step"] for r in read_metrics(tmp_path / "run" / "metrics.jsonl")]
    assert steps == [1, 2, 3, 4, 5]  # step 3's first record was dropped, not repeated
    for a, b in zip(weights(whole), weights(resumed), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_mixed_bfloat16_computes_in_bfloat16_keeps_float32_weights_and_restores_the_policy(
    tmp_path,
):
    from igcourse.training.toy import ToyGAN

    trainer = Trainer(ToyGAN(), quiet(tmp_path, steps=2, precision="mixed_bfloat16"))
    result = trainer.run()
    assert np.isfinite(result.last["d_loss"]) and np.isfinite(result.last["g_loss"])
    for model in trainer.models.values():
        assert model.compute_dtype == "bfloat16"
        assert all(v.dtype == "float32" for v in model.weights)
    assert keras.config.dtype_policy().name == "float32"


def test_pixelcnn_trains_in_mixed_bfloat16(tmp_path):
    result = Trainer(tiny(), quiet(tmp_path, steps=1, precision="mixed_bfloat16")).run()
    assert np.isfinite(result.last["bits_per_dim"])


def test_two_updates_each_train_their_own_model_and_batch_norm_statistics_move(tmp_path):
    from igcourse.training.toy import ToyGAN

    trainer = Trainer(ToyGAN(), quiet(tmp_path, steps=3))
    result = trainer.run()
    assert set(result.last) == {"d_loss", "g_loss", "penalty"}
    optimizers = trainer.optimizers
    assert int(optimizers["d"].iterations) == int(optimizers["g"].iterations) == 3
    moving_mean = trainer.models["discriminator"].layers[2].moving_mean
    assert np.abs(np.asarray(moving_mean)).sum() > 0


def test_eager_graph_and_xla_steps_compute_the_same_update(tmp_path):
    results = {}
    for mode in ("eager", "graph", "xla"):
        trainer = Trainer(tiny(), quiet(tmp_path / mode, steps=2, tf_compile=mode))
        trainer.run()
        results[mode] = weights(trainer)
    for mode in ("graph", "xla"):
        for a, b in zip(results["eager"], results[mode], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_tensorboard_gets_the_losses_and_the_sample_grid(tmp_path):
    import tensorflow as tf

    Trainer(tiny(), quiet(tmp_path, steps=1, sample_every=1)).run()
    tags = set()
    for path in (tmp_path / "tensorboard").glob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            tags |= {value.tag for value in event.summary.value}
    assert {"bits_per_dim", "images_per_sec", "samples"} <= tags


def toy_with_evaluator():
    import dataclasses

    from igcourse.training.toy import ToyGAN

    return ToyGAN(dataclasses.replace(ToyGAN.Config(), eval_samples=6))


def test_evaluator_metrics_are_logged_at_each_evaluation(tmp_path, monkeypatch):
    seen = []

    def evaluate_samples(images, labels=None):
        seen.append(images.shape)
        assert images.dtype == np.float32 and 0 <= images.min() and images.max() <= 1
        return {"frechet_distance": 1.5, "per_class": [0.1, 0.2]}

    fake = types.ModuleType("igcourse.evaluation")
    fake.evaluate_samples = evaluate_samples
    monkeypatch.setitem(sys.modules, "igcourse.evaluation", fake)
    result = Trainer(toy_with_evaluator(), quiet(tmp_path, steps=4, eval_every=2)).run()
    assert seen == [(6, 4, 4, 1), (6, 4, 4, 1)]
    assert [(r["step"], r["frechet_distance"]) for r in result.evaluations] == [(2, 1.5), (4, 1.5)]
    assert "per_class" not in result.evaluations[0]  # only numbers go into the log


def test_a_missing_evaluator_is_noted_once_and_training_goes_on(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "igcourse.evaluation", None)  # import fails
    result = Trainer(toy_with_evaluator(), quiet(tmp_path, steps=4, eval_every=2)).run()
    assert result.step == 4
    assert len(result.notes) == 1 and "evaluator" in result.notes[0]
