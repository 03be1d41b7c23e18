"""Time grading of chapter 1: per submission (one worker), throughput (two workers), and the
same class on a local Dask cluster of two single-threaded worker processes.

    .venv/bin/python scripts/bench_grading.py --copies 6

Submissions are copies of the master notebooks (full marks) and of the release (zero), each
with a distinct cell so that none is served from the result store (a fresh cell again before
each run). Grading runs as `igcourse grade` does: batches of one notebook's submissions share a
check process, each student's code runs in a sandbox worker of its own. Prints median and worst
wall time per submission (and per notebook), submissions per hour with two workers and on
Dask, and the machine's load while it ran.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from igcourse.classroom.batch import grade_all
from igcourse.demo import reference_artifacts
from igcourse.paths import repo_root

CHAPTER = "ch01_pixelcnn"


def make_submissions(root, folder, copies):
    sources = [root / "source" / CHAPTER, root / "release" / CHAPTER]
    for index in range(copies):
        for name in ("pixel_probabilities", "pixelcnn"):
            notebook = nbformat.read(str(sources[index % 2] / f"{name}.ipynb"), as_version=4)
            notebook.cells.append(nbformat.v4.new_code_cell(f"SUBMISSION_NUMBER = {index}"))
            target = folder / f"student{index:02d}" / CHAPTER / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, str(target))
        if index % 2 == 0:  # the full-marks students hand in the trained model too
            for artifact in reference_artifacts(root, CHAPTER):
                (target.parent / artifact.name).write_bytes(artifact.read_bytes())


def freshen(folder, copies, line):
    """A new cell in every notebook: fresh content, so nothing comes from the result store."""
    for index in range(copies):
        for path in (folder / f"student{index:02d}" / CHAPTER).glob("*.ipynb"):
            notebook = nbformat.read(str(path), as_version=4)
            notebook.cells.append(nbformat.v4.new_code_cell(line))
            nbformat.write(notebook, str(path))


def grade_on_dask(folder, root, results):
    """The class graded through `igcourse grade --scheduler` on a local Dask cluster."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        return grade_all(
            folder, CHAPTER, root, results, scheduler=cluster.scheduler_address, progress=False
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="students (each 2 notebooks)")
    args = parser.parse_args()
    root = repo_root()
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_submissions(root, tmp / "subs", args.copies)
        start = time.monotonic()
        one = grade_all(tmp / "subs", CHAPTER, root, tmp / "r1", workers=1, progress=False)
        serial = time.monotonic() - start
        loads.append(os.getloadavg()[0])
        freshen(tmp / "subs", args.copies, "SECOND_RUN = True")
        start = time.monotonic()
        grade_all(tmp / "subs", CHAPTER, root, tmp / "r2", workers=2, progress=False)
        parallel = time.monotonic() - start
        loads.append(os.getloadavg()[0])
        freshen(tmp / "subs", args.copies, "THIRD_RUN = True")
        start = time.monotonic()
        on_dask = grade_on_dask(tmp / "subs", root, tmp / "r3")
        dask_seconds = time.monotonic() - start
        loads.append(os.getloadavg()[0])
    times = sorted(g.seconds for g in one)
    wrong = [g.student for g in one if g.error]
    print(f"submissions (notebooks): {len(one)}")
    print(
        f"one worker:  median {statistics.median(times):.1f} s, worst {times[-1]:.1f} s, "
        f"total {serial:.0f} s"
    )
    for name in ("pixel_probabilities", "pixelcnn"):
        each = sorted(g.seconds for g in one if g.notebook == name)
        print(f"  {name}: median {statistics.median(each):.1f} s, worst {each[-1]:.1f} s")
    print(
        f"two workers: total {parallel:.0f} s, {3600 * len(one) / parallel:.0f} "
        "submissions per hour"
    )
    print(
        f"Dask, 2 worker processes: total {dask_seconds:.0f} s, "
        f"{dask_seconds / len(on_dask):.1f} s per submission, "
        f"{3600 * len(on_dask) / dask_seconds:.0f} submissions per hour; same scores as one "
        f"worker: {[g.total for g in on_dask] == [g.total for g in one]}"
    )
    print(
        f"machine: {os.cpu_count()} cores, 1-minute load average at start / after one worker / "
        f"after two / after Dask: {' / '.join(f'{load:.1f}' for load in loads)}"
    )
    full = sum(g.total == g.max_total for g in one)
    zero = sum(g.total == 0 for g in one)
    print(f"scores: {full} full marks, {zero} zero, {len(one) - full - zero} other")
    if wrong:
        print(f"errors (not graded): {', '.join(wrong)}")


if __name__ == "__main__":
    main()
