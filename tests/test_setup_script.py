"""./course.sh: does it tell a user without root which command installs the data, set up only
what is missing, and print nothing but the course's own lines (issue 25, "a quiet first run")?"""

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

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


# ---------------------------------------------------------------- a quiet first run

# What is not the course's own: TensorFlow's C++ log (absl's banner, oneDNN, cuda, glog-style
# lines), Python warnings of the packages and of the build backend, pip's advice.
FOREIGN = re.compile(
    r"oneDNN|absl|cuda|cpu_feature_guard|^[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ "
    r"|warning|deprecat|editable install|new release of pip",
    re.IGNORECASE | re.MULTILINE,
)


def first_run_environment(tmp_path):
    """A virtual environment without the course's set-up stamp or its igcourse, that sees this
    one's packages: course.sh's first run there installs only the course's own package.

    The .pth line adds this environment's site-packages to sys.path; the .pth files in it (the
    editable install of igcourse among them) are not processed, since it is no site dir.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = subprocess.run(
        [venv / "bin" / "python", "-c", where],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "course-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # A student's shell: none of the settings the course sets itself.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("TF_CPP_MIN_LOG_LEVEL", "PYTHONWARNINGS", "IGCOURSE_LANG", "VIRTUAL_ENV")
    }
    return venv, env | {"IGCOURSE_VENV": str(venv), "PYTHONNOUSERSITE": "1"}


def course_sh(*args, env):
    return subprocess.run(
        ["bash", str(ROOT / "course.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.mark.slow
def test_a_first_run_prints_the_course_s_own_lines_and_nothing_else(tmp_path):
    """Set-up (pip, the editable install, the import check) and the demo's first step, the
    build: no pip or setuptools notice, no TensorFlow start-up log, no library warning."""
    venv, env = first_run_environment(tmp_path)
    done = course_sh("build", "--check", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (venv / ".igcourse-installed").is_file()
    assert done.stderr.splitlines() == [
        "[course] Installing the pinned Python packages (first time: a few minutes)"
    ], done.stderr
    assert done.stdout.startswith("build --check:"), done.stdout
    assert not FOREIGN.search(done.stdout + done.stderr), done.stdout + done.stderr


@pytest.mark.slow
def test_a_package_that_fails_to_import_is_shown_in_full(tmp_path):
    """Quiet is not silent: a package that cannot be imported stops the set-up with its
    traceback, and no stamp says the packages are installed."""
    venv, env = first_run_environment(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "dlib.py").write_text("raise ImportError('dlib is broken on purpose')\n")
    done = course_sh("build", "--check", env=env | {"PYTHONPATH": str(broken)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback (most recent call last)" in done.stderr, done.stderr
    assert "ImportError: dlib is broken on purpose" in done.stderr, done.stderr
    assert "[course] The Python packages did not install" in done.stderr, done.stderr
    assert not (venv / ".igcourse-installed").exists()
