"""Where the time of grading one chapter-1 class goes: imports, start-up, checks, training.

    .venv/bin/python scripts/grading_costs.py

Measures, one after another on this machine (CPU seconds are the processes' own, so other
work on the machine changes them less than wall times):
  - importing TensorFlow in a fresh interpreter (every check process and every sandbox worker
    of a notebook that imports it pays this);
  - a sandbox worker's start in bubblewrap up to TensorFlow imported;
  - the hidden checks of pixelcnn on the master notebook with its trained model, run in one
    process without the sandbox, split by pytest's own durations into the training checks
    (a model trained with the student's step), the handed-in model's checks and the rest;
  - the same on the untouched release (every part fails at once: start-up and imports).
Prints a Markdown table.
"""

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_vs_nbgrader import children_cpu

from igcourse.demo import reference_artifacts
from igcourse.paths import repo_root
from igcourse.sandbox.isolation import bubblewrap_works, bwrap_prefix, python_paths

CHAPTER = "ch01_pixelcnn"
NOTEBOOK = "pixelcnn"
IMPORT = "import tensorflow, keras"


def timed(command, **options):
    """(wall s, CPU s, stdout) of a command run to its end."""
    cpu, start = children_cpu(), time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, **options)
    return time.monotonic() - start, children_cpu() - cpu, done.stdout


def checks_by_kind(output):
    """{kind: seconds} from pytest's --durations=0 lines."""
    kinds = {"training checks": 0.0, "handed-in model": 0.0, "other checks": 0.0}
    line = r"^([\d.]+)s (?:call|setup|teardown)\s+\S+::(\S+)"
    for seconds, name in re.findall(line, output, re.M):
        if "handed_in" in name:
            kinds["handed-in model"] += float(seconds)
        elif "training" in name or "train_step" in name:
            kinds["training checks"] += float(seconds)
        else:
            kinds["other checks"] += float(seconds)
    return kinds


def run_checks(root, notebook_folder, results):
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
        str(root / "autograder" / CHAPTER / f"test_{NOTEBOOK}.py"),
        f"--implementation=notebook:{notebook_folder / f'{NOTEBOOK}.ipynb'}",
        f"--as-notebook={NOTEBOOK}", f"--results={results}", f"--course-root={root}",
        "--durations=0", "--durations-min=0",
    ]  # fmt: skip
    return timed(command, cwd=root)


def main():
    root = repo_root()
    rows = []
    wall, cpu, _out = timed([sys.executable, "-c", IMPORT])
    rows.append(("import TensorFlow and Keras, a fresh interpreter", wall, cpu))
    if bubblewrap_works():
        paths = ":".join(str(p) for p in python_paths())
        command = bwrap_prefix((), "/usr", 2**24) + [sys.executable, "-c", IMPORT]
        wall, cpu, _out = timed(command, env={"PYTHONPATH": paths, "PATH": "/usr/bin:/bin"})
        rows.append(("a sandbox worker (bubblewrap) up to TensorFlow imported", wall, cpu))
    with tempfile.TemporaryDirectory(prefix="igcourse-costs-") as tmp:
        for kind, label in (("source", "master notebook and trained model"), ("release", "")):
            folder = Path(tmp) / kind
            folder.mkdir()
            notebook = root / kind / CHAPTER / f"{NOTEBOOK}.ipynb"
            (folder / notebook.name).write_bytes(notebook.read_bytes())
            if kind == "source":
                for artifact in reference_artifacts(root, CHAPTER):
                    (folder / artifact.name).write_bytes(artifact.read_bytes())
            wall, cpu, out = run_checks(root, folder, folder / "results.json")
            what = label or "untouched release (every part fails at once)"
            rows.append((f"hidden checks of {NOTEBOOK}, in one process: {what}", wall, cpu))
            if kind == "source":
                for name, seconds in checks_by_kind(out).items():
                    rows.append((f"  of which {name} (pytest's durations)", seconds, None))
    print("| what | wall s | CPU s |\n|---|---|---|")
    for what, wall, cpu in rows:
        print(f"| {what} | {wall:.1f} | {'' if cpu is None else f'{cpu:.1f}'} |")


if __name__ == "__main__":
    main()
