"""Does train_evaluator.py train, write weights and a record, and explain a missing MNIST?"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "fashion_mnist"


def _script():
    spec = importlib.util.spec_from_file_location(
        "train_evaluator", ROOT / "scripts" / "train_evaluator.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mnist_without_its_files_is_one_clear_message(monkeypatch, capsys):
    monkeypatch.delenv("IGCOURSE_MNIST_DIR", raising=False)
    assert _script().main(["--dataset", "mnist"]) == 2
    error = capsys.readouterr().err
    assert "online only" in error and "IGCOURSE_MNIST_DIR" in error and "Traceback" not in error


@pytest.mark.slow
def test_a_tiny_run_on_mnist_laid_out_files_writes_weights_and_record(tmp_path):
    # the Fashion-MNIST fixture has MNIST's file names and format: it stands in for MNIST.
    # A subprocess, because seeding switches on TensorFlow's op determinism process-wide.
    mnist = tmp_path / "mnist"
    shutil.copytree(FIXTURE, mnist)
    out = tmp_path / "weights"
    argv = ["--dataset", "mnist", "--epochs", "1", "--batch-size", "8", "--out-dir", str(out)]
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_evaluator.py"), *argv],
        env={**os.environ, "IGCOURSE_MNIST_DIR": str(mnist)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    record = json.loads((out / "mnist_evaluator.json").read_text())
    assert (out / "mnist_evaluator.weights.h5").stat().st_size == record["weights_bytes"]
    assert record["train_images"] == 20 and 0 <= record["test_accuracy"] <= 1
    assert record["command"] == "python scripts/train_evaluator.py " + " ".join(argv)
    assert {"keras", "backend", "numpy", "python"} <= set(record["versions"])
    assert record["seconds"] > 0 and len(record["load_average_1min_start_end"]) == 2


@pytest.mark.parametrize("flag", ["--help"])
def test_the_command_line_documents_its_options(flag, capsys):
    with pytest.raises(SystemExit):
        _script().parse_args([flag])
    assert "--dataset" in capsys.readouterr().out
