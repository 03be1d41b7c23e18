"""Does every master notebook run end to end in quick mode within its time limit?

A run is a recorded proof (tests/proved.py): skipped when proofs/<chapter>.json records that
the notebook ran for exactly this content (the chapter's files, the engine modules they reach,
the requirements), run again after any change to them.
"""

import time

import nbformat
import pytest
from nbclient import NotebookClient
from proved import proved_once

from igcourse.config import load_config
from igcourse.paths import repo_root

TIME_LIMIT_S = 300  # per notebook, on 2 CPU cores
ROOT = repo_root()
NOTEBOOKS = [
    ROOT / "source" / chapter / f"{name}.ipynb"
    for chapter, notebooks in load_config(ROOT).chapters.items()
    for name in notebooks
]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_master_notebook_runs_in_quick_mode(path, tmp_path, monkeypatch):
    chapter = path.parent.name
    with proved_once(chapter, f"quick mode: {path.stem}", __file__) as summary:
        monkeypatch.setenv("IGCOURSE_QUICK", "1")
        monkeypatch.setenv("MPLBACKEND", "Agg")
        monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
        notebook = nbformat.read(str(path), as_version=4)
        client = NotebookClient(
            notebook,
            timeout=TIME_LIMIT_S,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path)}},
        )
        start = time.monotonic()
        client.execute()
        elapsed = time.monotonic() - start
        print(f"{path.relative_to(ROOT)}: {elapsed:.0f} s")
        assert elapsed < TIME_LIMIT_S, f"{path.name} took {elapsed:.0f} s in quick mode"
        summary.append(f"{chapter}/{path.stem} ran in quick mode in {elapsed:.0f} s")
