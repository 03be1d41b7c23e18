"""Do the GPU check and the benchmark run end to end on the CPU, with tiny budgets?"""

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from igcourse.paths import repo_root
from igcourse.training.testing import run_code

DEVICE_FILE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")  # what comes back from the GPU machine


def run_script(script, argv, backend="jax", timeout=600):
    code = (
        f"import runpy, sys\nsys.argv = {[script, *argv]!r}\n"
        f"runpy.run_path({str(repo_root() / script)!r}, run_name='__main__')\n"
    )
    return run_code(code, backend, timeout=timeout)


def test_gpu_check_writes_metrics_hardware_and_a_grid_without_tensorflow(tmp_path):
    out = tmp_path / "OUT"
    argv = ["--seconds", "1", "--smoke", "--out", str(out), "--work", str(tmp_path / "runs")]
    argv += ["--eval-every", "5", "--log-every", "5", "--target", "test_bits_per_dim=10"]
    done = run_script("scripts/gpu_check.py", argv)
    assert done.returncode == 0, done.stderr[-3000:]
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(files) <= 8 and all(DEVICE_FILE_NAME.match(p.name) for p in files)
    report = json.loads((out / "gpu_check.json").read_text())
    assert report["hardware"]["devices"] and report["hardware"]["jax"]
    assert report["command"].startswith("python scripts/gpu_check.py --seconds 1")
    runs = {(r["recipe"], r["precision"]): r for r in report["runs"]}
    assert ("pixelcnn", "float32") in runs and ("pixelcnn", "mixed_bfloat16") in runs
    float32 = runs["pixelcnn", "float32"]
    assert float32["steps"] > 1 and float32["images_per_sec"] > 0
    assert float32["train_seconds"] >= 1
    assert float32["target"]["step"] == 5  # test bits/dim <= 10 at the first evaluation
    # Every recipe's grid: the first MAX_GRIDS come back in OUT, the others stay in --work.
    grids = {name: out / grid for name, grid in report["samples"].items()}
    grids.update({name: Path(grid) for name, grid in report["kept_in_work"].items()})
    assert {recipe for recipe, _precision in runs} == set(grids)
    assert len(report["samples"]) == min(len(grids), 6)
    picture = Image.open(grids["pixelcnn"])
    assert picture.size[0] > 28


@pytest.mark.slow
def test_benchmark_reports_each_way_of_running_a_step_on_both_backends(tmp_path):
    path = tmp_path / "bench.json"
    argv = ["--set", "filters=4", "--set", "residual_blocks=1", "--batch-size", "8"]
    argv += ["--steps", "3", "--warmup", "1", "--repeats", "1", "--block", "2", "--rounds", "3"]
    argv += ["--json", str(path)]
    done = run_script("scripts/bench_trainer.py", argv, backend="tensorflow")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(path.read_text())
    rates = {r["backend"]: r["rates"] for r in report["results"]}
    assert set(rates["jax"]) == {"bare jax.jit", "trainer"}
    assert set(rates["tensorflow"]) == {
        "bare eager",
        "bare tf.function",
        "bare XLA",
        "trainer (XLA)",
    }
    assert all(rate > 0 for backend in rates.values() for rate in backend.values())
    for result in report["results"]:  # three paired blocks of each, the overhead from them
        paired = result["paired"]
        assert len(paired["trainer"]) == len(paired["bare"]) == 3
        ratios = sorted(1 - t / b for t, b in zip(paired["trainer"], paired["bare"], strict=True))
        assert result["trainer_overhead"] == pytest.approx(ratios[1])
    assert "trainer" in done.stdout  # the table was printed
