"""Does every recipe train a few steps on both backends and write what a run writes?

One test per recipe and backend, with the recipe's `smoke` settings: TensorFlow in this
process (XLA-compiled step), JAX through the command line in a new process without
TensorFlow, as on the GPU machine.
"""

import json

import keras
import numpy as np
import pytest
from PIL import Image

from igcourse.training import Recipe, TrainConfig, list_recipes, load_recipe
from igcourse.training.reporting import read_metrics
from igcourse.training.testing import run_code, train_command_code

RECIPES = list_recipes()


def check_run_folder(out, steps, recipe):
    records = read_metrics(out / "metrics.jsonl")
    train = [r for r in records if r["kind"] == "train"]
    assert [r["step"] for r in train] == list(range(1, steps + 1))
    objectives = {update.objective for update in recipe.updates()}
    for record in train:
        assert record["images_per_sec"] > 0
        assert all(np.isfinite(record[name]) for name in objectives), record
    samples = [r for r in records if r["kind"] == "sample"]
    if samples:
        picture = np.asarray(Image.open(out / samples[-1]["path"]))
        assert picture.dtype == np.uint8 and picture.ndim in (2, 3) and picture.std() > 0
    assert (out / "checkpoints" / "latest").read_text() == f"step_{steps:08d}"
    result = json.loads((out / "result.json").read_text())
    assert result["step"] == steps
    return records


@pytest.mark.parametrize("name", RECIPES)
@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs the TF backend")
def test_recipe_trains_on_tensorflow(name, tmp_path):
    from igcourse.training.loop import Trainer

    recipe = load_recipe(name, load_recipe(name).smoke)
    config = TrainConfig(
        out=str(tmp_path), steps=3, log_every=1, sample_every=3, eval_every=3, progress=False
    )
    Trainer(recipe, config).run()
    records = check_run_folder(tmp_path, 3, recipe)
    has_sampler = type(recipe).sample is not Recipe.sample
    assert any(r["kind"] == "sample" for r in records) == has_sampler


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_trains_on_jax_from_the_command_line(name, tmp_path):
    recipe = load_recipe(name, load_recipe(name).smoke)
    argv = [name, "--backend", "jax", "--steps", "3", "--out", str(tmp_path), "--log-every", "1"]
    argv += ["--sample-every", "3", "--eval-every", "3", "--no-progress"]
    for key, value in recipe.smoke.items():
        argv += ["--set", f"{key}={value}"]
    done = run_code(train_command_code(argv), "jax", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["step"] == 3
    check_run_folder(tmp_path, 3, recipe)
    assert json.loads((tmp_path / "config.json").read_text())["backend"] == "jax"
