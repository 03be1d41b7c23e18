"""Does ./course.sh tell a user without root exactly which command installs the data?"""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fake_command(folder, name, script):
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


def test_without_root_the_missing_debian_packages_are_named_with_the_command(tmp_path):
    fake_command(tmp_path, "id", "echo 1000")
    fake_command(tmp_path, "dpkg-query", "exit 1")  # nothing installed
    env = dict(os.environ, PATH=f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(
        ["bash", str(ROOT / "course.sh"), "config"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert (
        "sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist libdlib-data "
        "opencv-doc" in done.stderr
    )


def test_a_second_run_reinstalls_nothing():
    """The stamp of the installed requirements matches, so no pip runs."""
    done = subprocess.run(
        ["bash", str(ROOT / "course.sh"), "config"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Installing" not in done.stderr and "Creating" not in done.stderr
