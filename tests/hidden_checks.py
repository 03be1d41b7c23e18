"""Helpers for tests that run a chapter's hidden checks in a process of their own."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def with_reference(chapter, notebook, code):
    """Run `code` in a fresh process with `r` bound to the reference module, Keras seeded."""
    module = ROOT / "solutions" / chapter / f"{notebook}.py"
    script = (
        "import importlib.util, keras\n"
        f"spec = importlib.util.spec_from_file_location('r', r'{module}')\n"
        "r = importlib.util.module_from_spec(spec); spec.loader.exec_module(r)\n"
        "keras.utils.set_random_seed(0)\n" + code
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if done.returncode:  # the reference's own error, not just "exit status 1"
        raise RuntimeError(f"the reference script failed:\n{done.stderr[-3000:]}")


def run_hidden_checks(chapter, notebook, submitted, keyword, cwd):
    """The checks of `notebook` whose names contain `keyword`, on the notebook `submitted`."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            str(ROOT / "autograder" / chapter / f"test_{notebook}.py"),
            "-k",
            keyword,
            f"--implementation=notebook:{submitted}",
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
