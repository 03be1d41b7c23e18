"""Grade one class of chapter 1 with `igcourse grade` and with `nbgrader autograde`, in turns.

    .venv/bin/python scripts/bench_vs_nbgrader.py --rounds 3

The class: 4 students, 8 notebooks; two students hand in the master notebooks and the trained
model (full marks), two the untouched release (zero). Each round grades the same notebooks
once with each tool, in alternating order, from scratch (a fresh result store for igcourse, a
fresh course folder and gradebook for nbgrader), and measures wall time and the CPU seconds of
the processes it started (the sandbox's workers die in their own PID namespace, so their CPU
is not counted: compare wall times). igcourse runs the hidden checks in the sandbox (2 workers, as
`igcourse grade` does); nbgrader executes every cell in quick mode and scores the public
check cells. Prints one line per run, the medians, the ratio, and both tools' scores.

igcourse grades a content once per run (the two full students hand in the same bytes, and so
do the two who hand in the release), so each round also grades a second class, "distinct",
the same notebooks with each student's name written into its metadata: every notebook differs,
as in a real class, and nothing is graded once for two.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from igcourse.demo import reference_artifacts
from igcourse.paths import repo_root

CHAPTER = "ch01_pixelcnn"
NOTEBOOKS = ("pixel_probabilities", "pixelcnn")
STUDENTS = {"full_a": "source", "full_b": "source", "blank_a": "release", "blank_b": "release"}


def make_class(root, folder, distinct=False):
    """submitted/<student>/<chapter>/<notebook>.ipynb, with the trained model for full marks;
    distinct: each notebook carries its student's name in its metadata (no two are the same)."""
    for student, kind in STUDENTS.items():
        target = folder / student / CHAPTER
        target.mkdir(parents=True)
        for notebook in NOTEBOOKS:
            name = f"{notebook}.ipynb"
            shutil.copyfile(root / kind / CHAPTER / name, target / name)
            if distinct:
                data = json.loads((target / name).read_text(encoding="utf-8"))
                data["metadata"]["submitted_by"] = student
                (target / name).write_text(json.dumps(data, indent=1), encoding="utf-8")
        if kind == "source":
            for artifact in reference_artifacts(root, CHAPTER):
                shutil.copyfile(artifact, target / artifact.name)


def children_cpu():
    """CPU seconds of the child processes waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_igcourse(root, submitted, work):
    """Wall and CPU seconds of `igcourse grade`, and {student: total}."""
    out = work / "igcourse"
    command = [
        sys.executable,
        "-m",
        "igcourse.cli",
        "grade",
        CHAPTER,
        str(submitted),
        "--out",
        str(out),
        "--gradebook",
        f"sqlite:///{work / 'igcourse-gradebook.db'}",
    ]
    cpu, start = children_cpu(), time.monotonic()
    subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)
    wall, cpu = time.monotonic() - start, children_cpu() - cpu
    totals = {}
    with (out / f"{CHAPTER}-scores.csv").open(encoding="utf-8") as table:
        for row in csv.DictReader(table):
            totals[row["student"]] = totals.get(row["student"], 0) + float(row["total"])
    return wall, cpu, totals


def nbgrader_course(root, folder, submitted):
    """A course folder nbgrader can autograde: config, source notebooks, the assignment in
    its gradebook (generate_assignment), and the class under submitted/."""
    for name in ("course_config.py", "nbgrader_config.py"):
        shutil.copyfile(root / name, folder / name)
    shutil.copytree(root / "source" / CHAPTER, folder / "source" / CHAPTER)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run(
        [*nbgrader, "generate_assignment", CHAPTER, "--force", "--log-level=ERROR"],
        cwd=folder,
        env=_environment(),
        check=True,
        capture_output=True,
    )
    shutil.copytree(submitted, folder / "submitted")
    return nbgrader


def _environment():
    """The environment with this Python's scripts first on PATH (nbgrader runs `alembic`)."""
    scripts = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=os.pathsep.join([scripts, os.environ.get("PATH", "")]))


def run_nbgrader(root, submitted, work):
    """Wall and CPU seconds of `nbgrader autograde` (quick mode), and {student: total}."""
    folder = work / "nbgrader"
    folder.mkdir()
    nbgrader = nbgrader_course(root, folder, submitted)
    env = dict(_environment(), IGCOURSE_QUICK="1", TF_CPP_MIN_LOG_LEVEL="2")
    cpu, start = children_cpu(), time.monotonic()
    done = subprocess.run(
        [*nbgrader, "autograde", CHAPTER, "--force", "--log-level=ERROR"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"nbgrader autograde failed:\n{(done.stdout + done.stderr)[-3000:]}")
    wall, cpu = time.monotonic() - start, children_cpu() - cpu
    from nbgrader.api import Gradebook

    totals = {}
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        for student in STUDENTS:
            submission = gradebook.find_submission(CHAPTER, student)
            totals[student] = submission.score
    return wall, cpu, totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    root = repo_root()
    tools = ("igcourse", "igcourse distinct", "nbgrader")
    runs = {tool: [] for tool in tools}
    scores = {}
    with tempfile.TemporaryDirectory(prefix="igcourse-bench-") as tmp:
        classes = {"same": Path(tmp) / "class", "distinct": Path(tmp) / "distinct"}
        make_class(root, classes["same"])
        make_class(root, classes["distinct"], distinct=True)
        for round_ in range(args.rounds):
            order = tools if round_ % 2 == 0 else tools[::-1]
            for tool in order:
                work = Path(tmp) / f"{tool.replace(' ', '-')}-{round_}"
                work.mkdir()
                load = os.getloadavg()[0]
                run = run_nbgrader if tool == "nbgrader" else run_igcourse
                submitted = classes["distinct" if tool.endswith("distinct") else "same"]
                wall, cpu, totals = run(root, submitted, work)
                runs[tool].append((wall, cpu))
                scores[tool] = totals
                print(
                    f"round {round_ + 1} {tool:17} wall {wall:6.1f} s  cpu {cpu:6.1f} s  "
                    f"load {load:.1f}  totals {json.dumps(totals, sort_keys=True)}",
                    flush=True,
                )
    medians = {
        tool: [statistics.median(x) for x in zip(*r, strict=True)] for tool, r in runs.items()
    }
    for tool, (wall, cpu) in medians.items():
        print(f"median {tool:17} wall {wall:6.1f} s  cpu {cpu:6.1f} s")
    for tool in tools[:2]:
        ratio = medians["nbgrader"][0] / medians[tool][0]
        print(f"{tool}: {ratio:.1f}x faster than nbgrader autograde in wall time")


if __name__ == "__main__":
    main()
