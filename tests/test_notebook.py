"""The helpers notebooks import: quick mode without a GPU, the kernel check, data messages."""

import sys

import nbformat
import pytest

from igcourse import notebook


def test_outside_a_kernel_quick_mode_follows_only_the_environment(monkeypatch):
    monkeypatch.delenv("IGCOURSE_QUICK", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(notebook, "gpu_available", lambda: False)
    assert notebook.quick_mode() is False  # a grader or script keeps the full version
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert notebook.quick_mode() is True
    monkeypatch.setenv("IGCOURSE_QUICK", "0")
    assert notebook.quick_mode() is False


def test_a_kernel_without_a_gpu_runs_the_quick_version_and_says_so(monkeypatch, capsys):
    for name in ("IGCOURSE_QUICK", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(notebook, "in_kernel", lambda: True)
    monkeypatch.setattr(notebook, "prepare_kernel", lambda: None)
    monkeypatch.setattr(notebook, "gpu_available", lambda: False)
    assert notebook.quick_mode() is True
    assert "No GPU found" in capsys.readouterr().out
    monkeypatch.setattr(notebook, "gpu_available", lambda: True)
    assert notebook.quick_mode() is False
    assert capsys.readouterr().out == ""


def test_the_course_kernel_has_no_problems_and_a_wrong_one_is_told_what_to_select():
    assert notebook.kernel_problems() == []
    problems = notebook.kernel_problems(("numpy", "igcourse_no_such_package"))
    assert len(problems) == 1 and "igcourse_no_such_package" in problems[0]
    assert sys.executable in problems[0]
    message = notebook.wrong_kernel_message(problems)
    assert "./course.sh lab" in message and "Change Kernel" in message


def test_an_old_python_is_named(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 8, 10, "final", 0))
    problems = notebook.kernel_problems(("numpy",))
    assert problems and "3.8.10" in problems[0] and "3.11" in problems[0]


def _run_in_kernel(cells, env, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = {"metadata": {"path": str(tmp_path)}}
    NotebookClient(nb, timeout=120, allow_errors=True, resources=path).execute(env=env)
    return nb.cells


def test_in_a_real_kernel_a_missing_dataset_shows_what_to_run_not_a_traceback(tmp_path):
    import os

    env = dict(os.environ, IGCOURSE_FASHION_MNIST_DIR=str(tmp_path / "nothing"))
    env.pop("IGCOURSE_QUICK", None)
    env.pop("NBGRADER_EXECUTION", None)
    cells = _run_in_kernel(
        [
            "from igcourse.notebook import quick_mode\nQUICK = quick_mode()\nprint('QUICK', QUICK)",
            "from igcourse.data.fashion_mnist import load_fashion_mnist\n"
            "images, labels = load_fashion_mnist('train')",
        ],
        env,
        tmp_path,
    )
    first = "".join(output.get("text", "") for output in cells[0].outputs)
    if notebook.gpu_available():
        assert "QUICK False" in first
    else:
        assert "No GPU found" in first and "QUICK True" in first
    (error,) = [output for output in cells[1].outputs if output.output_type == "error"]
    assert error.ename == "DatasetNotFound"
    text = "\n".join(error.traceback)
    assert "igcourse data fetch fashion-mnist" in text and "run this cell again" in text
    assert "Traceback" not in text and "load_fashion_mnist(" not in text


@pytest.mark.parametrize("watched", [False, True])
def test_the_progress_bar_is_silent_where_nobody_watches(monkeypatch, watched):
    monkeypatch.setattr(notebook, "in_kernel", lambda: watched)
    bar = notebook.progress(range(3), description="train")
    assert bar.disable is (not watched)  # read before the loop: closing the bar disables it
    assert list(bar) == [0, 1, 2]


def test_in_a_real_kernel_with_keras_2_the_first_cell_says_which_kernel_to_choose(tmp_path):
    import os

    fake = tmp_path / "site"  # a Keras 2 that shadows the environment's Keras 3
    (fake / "keras").mkdir(parents=True)
    (fake / "keras" / "__init__.py").write_text("")
    (fake / "keras-2.15.0.dist-info").mkdir()
    (fake / "keras-2.15.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: keras\nVersion: 2.15.0\n"
    )
    env = dict(os.environ, PYTHONPATH=str(fake), IGCOURSE_QUICK="1")
    cells = _run_in_kernel(
        ["from igcourse.notebook import quick_mode\nquick_mode()"], env, tmp_path
    )
    said = "".join(o.get("text", "") for o in cells[0].outputs if o.get("name") == "stderr")
    assert "Wrong kernel" in said and "Keras 2.15.0" in said, cells[0].outputs
    assert "Change Kernel" in said and "./course.sh lab" in said


def test_every_released_notebook_first_checks_its_kernel_in_its_own_language():
    from igcourse.notebooks import COURSE_KEY, GUARD_KEY, kernel_guard_cell
    from igcourse.paths import repo_root

    released = sorted((repo_root() / "release").glob("*/*.ipynb"))
    assert released
    for path in released:
        cells = nbformat.read(str(path), as_version=4).cells
        first = next(cell for cell in cells if cell.cell_type == "code")
        assert first.metadata.get(COURSE_KEY, {}).get(GUARD_KEY), path
        language = "zh" if path.name.endswith(".zh.ipynb") else "en"
        assert first.source == kernel_guard_cell(language).source, path
    assert "内核不对" in kernel_guard_cell("zh").source
    assert "Wrong kernel" in kernel_guard_cell("en").source


def test_the_kernel_check_cell_stops_a_python_without_the_course_packages(tmp_path):
    import subprocess

    from igcourse.notebooks import kernel_guard_cell

    source = kernel_guard_cell("en").source
    bare = subprocess.run(  # -I -S: no site-packages, so none of the course's packages
        [sys.executable, "-I", "-S", "-c", source], capture_output=True, text=True, cwd=tmp_path
    )
    assert bare.returncode == 1
    assert bare.stderr.startswith("Wrong kernel: this kernel's Python"), bare.stderr
    assert "igcourse, numpy" in bare.stderr and "Traceback" not in bare.stderr
    course = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    assert course.returncode == 0 and not course.stderr, course.stderr


def test_in_a_real_kernel_without_the_course_packages_the_first_cell_only_says_so(tmp_path):
    import os

    from igcourse.notebooks import kernel_guard_cell

    hide = "import importlib.util\nimportlib.util.find_spec = lambda name, package=None: None"
    env = dict(os.environ, IGCOURSE_QUICK="1")
    cells = _run_in_kernel([hide, kernel_guard_cell("zh").source], env, tmp_path)
    (error,) = [o for o in cells[1].outputs if o.output_type == "error"]
    assert error.ename == "SystemExit"
    assert error.evalue.startswith("内核不对") and "./course.sh lab" in error.evalue
