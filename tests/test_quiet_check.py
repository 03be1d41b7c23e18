"""`igcourse check` in a terminal: the course's report and nothing of TensorFlow's start-up log,
in the notebook's language (issue 25, "a quiet first run")."""

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from igcourse.i18n import DOMAIN, LOCALE_DIR
from igcourse.student import _start_up_log_dropped, notebook_language

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "release" / "ch01_pixelcnn"
# What TensorFlow logs as it loads and runs ops: absl's banner, oneDNN, "Could not find cuda
# drivers", cpu_feature_guard, "failed call to cuInit", and any other glog-style line.
TENSORFLOW_LOG = re.compile(
    r"oneDNN|absl|cuda|cpu_feature_guard|^[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ ", re.IGNORECASE | re.M
)
START_UP_LOG = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1796496648.704431   14111 port.cc:153] oneDNN custom operations are on.\n"
    "I0000 00:00:1796496648.706696   14111 cudart_stub.cc:31] Could not find cuda drivers on "
    "your machine, GPU will not be used.\n"
)


def igcourse(*args, script="igcourse.cli", **env):
    """Run the console script as a student would (no IGCOURSE_LANG, no TF_CPP_MIN_LOG_LEVEL of
    the test's own, unless given); the finished process."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("IGCOURSE_LANG", "TF_CPP_MIN_LOG_LEVEL")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", script, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
    )


def summary(language, ok=0, total=5):
    """The report's last line in `language`."""
    catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)
    message = catalog.gettext("{ok} of {total} parts pass their public checks.")
    return message.format(ok=ok, total=total)


def test_the_release_notebook_gets_the_report_only():
    done = igcourse("check", str(RELEASE / "pixel_probabilities.ipynb"))
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert done.stdout.splitlines()[0].startswith("quantize: 0 of 3"), output
    assert done.stdout.splitlines()[-1] == summary("en"), output
    assert not TENSORFLOW_LOG.search(output), output


def test_tensorflow_in_the_notebook_logs_nothing_and_its_errors_show(tmp_path):
    """The notebook's code imports TensorFlow and runs an op that fails: TensorFlow's start-up
    log and its C++ log of the failure stay out; the error and a Python warning show."""
    notebook = nbformat.read(RELEASE / "pixel_probabilities.ipynb", as_version=4)
    answer = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution"))
    answer.source = (
        "import warnings\n"
        "import tensorflow as tf\n"
        "_ = warnings.warn('a warning of my own')\n"
        "_ = tf.reshape(tf.range(8), (-1, 7))\n" + answer.source
    )
    target = tmp_path / "ch01_pixelcnn" / "pixel_probabilities.ipynb"
    target.parent.mkdir()
    nbformat.write(notebook, target)

    done = igcourse("check", str(target))
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert not TENSORFLOW_LOG.search(output), output
    assert "Running your notebook's code failed: InvalidArgumentError" in done.stdout, output
    assert "Input to reshape is a tensor with 8 values" in done.stdout, output
    assert "UserWarning: a warning of my own" in done.stderr, output
    assert done.stdout.splitlines()[-1] == summary("en"), output


@pytest.mark.parametrize(
    ("script", "args", "env", "language"),
    [
        ("igcourse.cli", (), {}, "zh"),
        ("igcourse.student_cli", (), {}, "zh"),  # the student wheel's console script
        ("igcourse.cli", ("--lang", "en"), {}, "en"),
        ("igcourse.student_cli", (), {"IGCOURSE_LANG": "en"}, "en"),
    ],
)
def test_a_chinese_notebook_is_answered_in_chinese_unless_asked_otherwise(
    script, args, env, language
):
    notebook = RELEASE / "pixel_probabilities.zh.ipynb"
    done = igcourse(*args, "check", str(notebook), script=script, **env)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert done.stdout.splitlines()[-1] == summary(language), output
    assert not TENSORFLOW_LOG.search(output), output


def test_the_notebook_language_comes_from_its_metadata_else_its_name(tmp_path):
    copy = tmp_path / "my_copy.ipynb"  # renamed: the metadata still says zh
    copy.write_bytes((RELEASE / "pixel_probabilities.zh.ipynb").read_bytes())
    assert notebook_language(copy) == "zh"
    assert notebook_language(RELEASE / "pixel_probabilities.ipynb") == "en"
    assert notebook_language(tmp_path / "missing.zh.ipynb") == "zh"
    assert notebook_language(tmp_path / "missing.v1.2.ipynb") is None


def test_only_the_start_up_log_is_dropped(capfd):
    with _start_up_log_dropped():
        os.write(2, (START_UP_LOG + "something else\n").encode())
    assert capfd.readouterr().err == "something else\n"


def test_everything_shows_when_the_import_fails(capfd):
    with pytest.raises(ImportError), _start_up_log_dropped():
        os.write(2, START_UP_LOG.encode())
        raise ImportError("broken")
    assert capfd.readouterr().err == START_UP_LOG


def test_the_last_words_of_an_import_that_kills_the_process_show():
    """TensorFlow on a processor without AVX logs a fatal line and aborts: that line, and the
    start-up lines before it, still reach stderr."""
    fatal = "F0000 00:00:1796496648.9 14111 cpu_feature_guard.cc:1] compiled to use AVX\n"
    code = (
        "import os\n"
        "from igcourse.student import _start_up_log_dropped\n"
        "with _start_up_log_dropped():\n"
        f"    os.write(2, {(START_UP_LOG + fatal).encode()!r})\n"
        "    os.abort()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode < 0 and done.stderr == START_UP_LOG + fatal, done.stderr
