"""The trainer's parts that need no training: batches by step, settings, grids, logs, CLI."""

import argparse
import json

import numpy as np
import pytest

from igcourse.training import list_recipes, load_recipe
from igcourse.training.cli import add_train_arguments, to_argv
from igcourse.training.data import Prefetch, StepBatches
from igcourse.training.recipe import configure
from igcourse.training.reporting import MetricsLog, grid, read_metrics


def test_a_step_gets_the_same_batch_whether_the_run_started_at_zero_or_resumed():
    items = np.arange(50)
    fresh = iter(StepBatches((items,), batch_size=8, seed=3))
    first_twelve = [next(fresh)[0] for _ in range(12)]
    resumed = iter(StepBatches((items,), batch_size=8, seed=3, start=7))
    for step in range(7, 12):
        np.testing.assert_array_equal(next(resumed)[0], first_twelve[step])


def test_index_rows_name_the_items_of_each_step_across_epochs_and_after_a_resume():
    items = np.arange(50)  # 6 steps an epoch; 2 items left out of each
    for start in (0, 4, 6, 11):
        batches = StepBatches((items,), batch_size=8, seed=3, start=start)
        rows = batches.index_rows()
        steps = np.concatenate([next(rows) for _ in range(3)])
        assert len(steps) == 3 * 6 - start % 6
        for offset, row in enumerate(steps):
            np.testing.assert_array_equal(items[row], batches.batch(start + offset)[0])


def test_each_epoch_is_a_new_permutation_and_seeds_differ():
    items = np.arange(16)
    batches = StepBatches((items,), batch_size=8, seed=0)
    epoch0 = np.concatenate([batches.batch(0)[0], batches.batch(1)[0]])
    epoch1 = np.concatenate([batches.batch(2)[0], batches.batch(3)[0]])
    assert sorted(epoch0) == sorted(epoch1) == list(range(16))
    assert not np.array_equal(epoch0, epoch1)
    other = StepBatches((items,), batch_size=8, seed=1)
    assert not np.array_equal(other.batch(0)[0], batches.batch(0)[0])


def test_prefetch_keeps_order_and_hands_errors_to_the_consumer():
    assert list(Prefetch(range(5), lambda x: x * 2)) == [0, 2, 4, 6, 8]

    def broken():
        yield 1
        raise OSError("disk gone")

    items = Prefetch(broken())
    assert next(items) == 1
    with pytest.raises(OSError, match="disk gone"):
        next(items)


def test_every_recipe_loads_with_its_smoke_settings():
    names = list_recipes()
    assert "pixelcnn" in names
    for name in names:
        recipe = load_recipe(name, recipe_smoke_settings(name))
        assert recipe.name == name
        assert recipe.config.batch_size > 0


def recipe_smoke_settings(name):
    return dict(load_recipe(name).smoke)


def test_settings_from_the_command_line_take_the_field_types():
    recipe_class = type(load_recipe("pixelcnn"))
    config = configure(recipe_class, {"filters": "8", "learning_rate": "0.5"})
    assert config.filters == 8 and config.learning_rate == 0.5
    with pytest.raises(ValueError, match="no setting 'filterz'"):
        configure(recipe_class, {"filterz": "8"})
    with pytest.raises(ValueError, match="not a valid int"):
        configure(recipe_class, {"filters": "many"})


def test_an_unknown_recipe_names_the_known_ones():
    with pytest.raises(ValueError, match="pixelcnn"):
        load_recipe("no_such_model")


def test_grid_tiles_images_with_white_gaps():
    images = np.zeros((5, 2, 3, 1), np.float32)
    picture = grid(images)  # 3 columns, 2 rows, 1-pixel gaps
    assert picture.shape == (2 * 3 + 1, 3 * 4 + 1) and picture.dtype == np.uint8
    assert picture[1, 1] == 0 and picture[0, 0] == 255
    assert picture[4:6, 9:12].min() == 255  # the empty sixth cell stays white


def test_a_resumed_log_drops_the_records_of_the_steps_it_repeats(tmp_path):
    path = tmp_path / "metrics.jsonl"
    log = MetricsLog(path)
    for step in (2, 4, 6):
        log.write("train", step, {"loss": float(step)})
    log.close()
    log = MetricsLog(path, resume_step=4)
    log.write("train", 6, {"loss": 0.5})
    log.close()
    assert [(r["step"], r["loss"]) for r in read_metrics(path)] == [(2, 2.0), (4, 4.0), (6, 0.5)]
    assert all(json.loads(line) for line in path.read_text().splitlines())


def test_the_command_line_survives_the_trip_to_a_new_process():
    parser = add_train_arguments(argparse.ArgumentParser())
    argv = ["pixelcnn", "--backend", "jax", "--seconds", "2.5", "--devices", "2", "--resume"]
    argv += ["--set", "filters=4", "--no-progress", "--precision", "mixed_bfloat16"]
    args = parser.parse_args(argv)
    args.out = "runs/x"
    again = parser.parse_args(to_argv(args))
    assert vars(again) == vars(args)


def test_steps_and_seconds_are_exclusive():
    parser = add_train_arguments(argparse.ArgumentParser())
    with pytest.raises(SystemExit):
        parser.parse_args(["pixelcnn", "--steps", "3", "--seconds", "3"])


def test_the_backend_cannot_change_once_keras_runs():
    import keras

    from igcourse.training.backend import prepare_backend

    other = "jax" if keras.backend.backend() == "tensorflow" else "tensorflow"
    assert prepare_backend(keras.backend.backend()) is True
    assert prepare_backend(other) is False


def test_igcourse_train_runs_in_a_new_process_when_keras_already_runs_on_another_backend(
    monkeypatch,
):
    import keras

    from igcourse.training import cli

    other = "jax" if keras.backend.backend() == "tensorflow" else "tensorflow"
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, env: calls.append((command, env)))
    parser = argparse.ArgumentParser(prog="igcourse")
    cli.add_train_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["train", "pixelcnn", "--backend", other, "--steps", "5"])
    args.func(args)
    ((command, env),) = calls
    assert command[1:3] == ["-m", "igcourse.training"] and env["KERAS_BACKEND"] == other
    assert command[3:] == to_argv(args) and f"runs/pixelcnn-{other}" in command
