"""tf.distribute.MirroredStrategy over two virtual CPU devices computes what one device does.

Runs in a new process: TensorFlow's logical devices must be set before it starts.
"""

import json

import numpy as np
import pytest

from igcourse.training.testing import run_code

WORKER = """
import json, sys
import numpy as np, keras, tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from igcourse.training import TrainConfig, load_recipe
from igcourse.training.loop import Trainer
from igcourse.training.toy import ToyGAN

OUT = sys.argv[-1]
results = {}

def run(name, recipe, **settings):
    base = dict(log_every=1, sample_every=0, eval_every=0, progress=False, out=f"{OUT}/{name}")
    trainer = Trainer(recipe, TrainConfig(**{**base, **settings}))
    result = trainer.run()
    arrays = [keras.ops.convert_to_numpy(v) for m in trainer.models.values() for v in m.weights]
    np.savez(f"{OUT}/{name}.npz", *arrays)
    results[name] = {"step": result.step, "last": result.last, "evals": result.evaluations}

pixelcnn = lambda: load_recipe("pixelcnn", load_recipe("pixelcnn").smoke)
run("one", pixelcnn(), steps=3, tf_compile="graph")
run("two", pixelcnn(), steps=3, eval_every=3, sample_every=3, devices=2)
run("toy_two", ToyGAN(), steps=2, devices=2, tf_compile="graph")
json.dump(results, open(f"{OUT}/results.json", "w"))
"""


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mirrored")
    code = f"import sys; sys.argv.append({str(folder)!r})\n" + WORKER
    done = run_code(code, "tensorflow", timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder, json.loads((folder / "results.json").read_text())


def load(folder, name):
    with np.load(folder / f"{name}.npz") as arrays:
        return [arrays[key] for key in sorted(arrays.files, key=lambda k: int(k.split("_")[1]))]


def test_two_replicas_with_xla_gradients_end_with_the_weights_of_one_device(mirrored):
    folder, results = mirrored
    one, two = load(folder, "one"), load(folder, "two")
    assert len(one) == len(two)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_sampling_and_evaluation_run_under_the_strategy(mirrored):
    folder, results = mirrored
    assert np.isfinite(results["two"]["evals"][-1]["test_bits_per_dim"])
    assert (folder / "two" / "samples" / "step_00000003.png").exists()


def test_two_replicas_run_two_updates_with_noise_batch_norm_and_a_gradient_penalty(mirrored):
    _folder, results = mirrored
    last = results["toy_two"]["last"]
    assert set(last) == {"d_loss", "g_loss", "penalty"}
    assert all(np.isfinite(v) for v in last.values())
