"""The trainer on the JAX backend, in new processes: a killed run resumes exactly,
keras.distribution data parallelism over two CPU devices computes what one device does, and
gradients inside a loss work."""

import json
import os
import signal
import time

import numpy as np
import pytest

from igcourse.training import load_recipe
from igcourse.training.testing import popen_code, run_code, train_command_code

SMOKE = load_recipe("pixelcnn").smoke
SETTINGS = [arg for key, value in SMOKE.items() for arg in ("--set", f"{key}={value}")]

# Runs in one new process with two CPU devices; writes results.json and <name>.npz to OUT.
WORKER = """
import json, sys
import numpy as np, keras
from igcourse.training import TrainConfig, load_recipe
from igcourse.training.loop import Trainer
from igcourse.training.toy import ToyGAN

OUT, RUN, STEPS = sys.argv[-3], sys.argv[-2], int(sys.argv[-1])
results = {}

def run(name, recipe, **settings):
    base = dict(log_every=1, sample_every=0, eval_every=0, progress=False)
    trainer = Trainer(recipe, TrainConfig(**{**base, **settings}))
    result = trainer.run()
    arrays = [keras.ops.convert_to_numpy(v) for m in trainer.models.values() for v in m.weights]
    np.savez(f"{OUT}/{name}.npz", *arrays)
    results[name] = {"step": result.step, "steps_run": result.steps_run, "last": result.last}

pixelcnn = lambda: load_recipe("pixelcnn", load_recipe("pixelcnn").smoke)
run("resumed", pixelcnn(), out=RUN, steps=STEPS, resume=True)
run("whole", pixelcnn(), out=f"{OUT}/whole", steps=STEPS)
run("whole_2_devices", pixelcnn(), out=f"{OUT}/whole2", steps=STEPS, devices=2)
run("toy", ToyGAN(), out=f"{OUT}/toy", steps=3)
run("toy_2_devices", ToyGAN(), out=f"{OUT}/toy2", steps=3, devices=2)

import jax
from igcourse.training.autodiff import input_gradients
x = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
grads_of = jax.jit(lambda t: input_gradients(lambda u: keras.ops.sum(u**3, axis=1), t))
second = jax.jit(jax.grad(lambda t: keras.ops.sum(grads_of(t))))
results["input_gradients"] = {
    "first": float(np.abs(np.asarray(grads_of(x)) - 3 * x**2).max()),
    "second": float(np.abs(np.asarray(second(x)) - 6 * x).max()),
}
json.dump(results, open(f"{OUT}/results.json", "w"))
"""


def latest_step(run):
    pointer = run / "checkpoints" / "latest"
    return int(pointer.read_text().removeprefix("step_")) if pointer.exists() else 0


@pytest.fixture(scope="module")
def jax_runs(tmp_path_factory):
    """Kill a command-line run after its checkpoint of step 4 or later, then run the worker."""
    folder = tmp_path_factory.mktemp("jax")
    run = folder / "run"
    argv = ["pixelcnn", "--backend", "jax", "--steps", "100000", "--out", str(run)]
    argv += ["--checkpoint-every", "2", "--log-every", "1", "--sample-every", "0"]
    argv += ["--eval-every", "0", "--no-progress", *SETTINGS]
    process = popen_code(train_command_code(argv), "jax", folder / "killed.log")
    deadline = time.monotonic() + 300
    try:
        while latest_step(run) < 4:
            assert process.poll() is None, (folder / "killed.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "no checkpoint of step 4 in 300 s"
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    killed_at = latest_step(run)
    steps = killed_at + 3
    done = run_code(
        f"import sys; sys.argv += {[str(folder), str(run), str(steps)]!r}\n" + WORKER,
        "jax",
        devices=2,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((folder / "results.json").read_text())
    return folder, killed_at, steps, results


def load(folder, name):
    with np.load(folder / f"{name}.npz") as arrays:
        return [arrays[key] for key in sorted(arrays.files, key=lambda k: int(k.split("_")[1]))]


def assert_same_weights(a, b, rtol=1e-5, atol=1e-6):
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_allclose(x, y, rtol=rtol, atol=atol)


def test_a_killed_run_resumes_from_its_checkpoint_and_counts_on(jax_runs):
    folder, killed_at, steps, results = jax_runs
    assert results["resumed"]["step"] == steps
    assert results["resumed"]["steps_run"] == steps - killed_at
    records = [json.loads(line) for line in (folder / "run" / "metrics.jsonl").open()]
    train_steps = [r["step"] for r in records if r["kind"] == "train"]
    assert train_steps == sorted(set(train_steps))  # no step logged twice
    assert train_steps[-3:] == [steps - 2, steps - 1, steps]


def test_a_resumed_run_ends_where_an_uninterrupted_one_does(jax_runs):
    folder, _killed_at, _steps, results = jax_runs
    assert_same_weights(load(folder, "resumed"), load(folder, "whole"))
    assert results["resumed"]["last"]["bits_per_dim"] == pytest.approx(
        results["whole"]["last"]["bits_per_dim"], rel=1e-5
    )


def test_data_parallel_on_two_devices_computes_what_one_device_does(jax_runs):
    folder, *_ = jax_runs
    assert_same_weights(load(folder, "whole"), load(folder, "whole_2_devices"))


def test_input_gradients_are_right_and_can_be_differentiated_again_on_jax(jax_runs):
    errors = jax_runs[3]["input_gradients"]
    assert errors["first"] < 1e-5 and errors["second"] < 1e-5


def test_data_parallel_keeps_two_updates_noise_batch_norm_and_gradient_penalty(jax_runs):
    folder, *_ = jax_runs
    # Adam moves every weight by about its learning rate (1e-2) per step whatever the size of
    # the gradient, so round-off in near-zero gradients shows at 1e-4; other noise, or batch
    # statistics per device, would move weights by 1e-2.
    toy, toy_2 = load(folder, "toy"), load(folder, "toy_2_devices")
    assert_same_weights(toy, toy_2, rtol=1e-3, atol=5e-4)
