"""Does the student bundle hold what students need, and nothing that gives answers away?

The bundle is built once into a temporary folder; the tests open the zip and the wheel inside
it. The slow test installs that wheel alone into a fresh virtual environment and runs the
course there: public checks from the console script, and a master notebook in a kernel of
that environment.
"""

import io
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path, PurePosixPath

import nbformat
import pytest

from igcourse import bundle as bundling
from igcourse.config import load_config
from igcourse.export import read_notebook
from igcourse.hygiene import course_solution_lines
from igcourse.paths import repo_root

ROOT = repo_root()
# Stated here, independently of igcourse.bundle's own lists.
SECRET_FOLDERS = {"autograder", "solutions", "source"}
SECRET_MODULES = {
    "build",
    "bundle",
    "classroom",
    "cli",
    "config",
    "demo",
    "grading",
    "hygiene",
    "messages",
    "paths",
    "sandbox",
    "training",
}
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    try:
        return bundling.bundle(ROOT, tmp_path_factory.mktemp("dist"))
    except bundling.BundleError as error:
        problem = str(error)
    pytest.fail(problem, pytrace=False)


def members(archive_path):
    """(name, bytes) of every file of a zip, and of every file of the wheels inside it."""
    with zipfile.ZipFile(archive_path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            yield name, data
            if name.endswith(".whl"):
                for inner, inner_data in members(io.BytesIO(data)):
                    yield f"{name}!{inner}", inner_data


def visible_lines(name, data):
    """Stripped lines of a file as a reader sees them (a notebook: its cells and outputs)."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        notebook = nbformat.reads(text, as_version=4)
        for cell in notebook.cells:
            text += "\n" + cell.source
            for output in cell.get("outputs", []):
                text += "\n" + str(output.get("text", ""))
    return {line.strip() for line in text.splitlines()}


def wheel_paths(built):
    with zipfile.ZipFile(built.wheel_path) as wheel:
        return wheel.namelist()


def test_the_zip_holds_notebooks_readme_requirements_catalog_and_wheel(built):
    config = load_config(ROOT)
    top = f"igcourse-student-{bundling.__version__}"
    with zipfile.ZipFile(built.zip_path) as archive:
        names = set(archive.namelist())
        readme = archive.read(f"{top}/README.md").decode()
        requirements = archive.read(f"{top}/requirements.txt").decode().splitlines()
        inner_wheel = archive.read(f"{top}/{built.wheel_path.name}")
    for chapter, notebooks in config.chapters.items():
        for name in notebooks:
            for suffix in (".ipynb", ".zh.ipynb"):
                assert f"{top}/notebooks/{chapter}/{name}{suffix}" in names
    assert f"{top}/datasets/catalog.json" in names
    assert inner_wheel == built.wheel_path.read_bytes()
    assert "pip install -r requirements.txt" in readme and "jupyter lab notebooks" in readme
    assert "tensorflow==2.21.0" in requirements and "keras==3.15.1" in requirements
    assert "jupyterlab-language-pack-zh-CN==4.5.post3" in requirements  # Chinese menus
    assert not any(line.lower().startswith("nbgrader") for line in requirements)
    assert requirements[-1] == f"./{built.wheel_path.name}"


def test_the_wheel_is_the_student_package_with_its_console_script(built):
    paths = wheel_paths(built)
    with zipfile.ZipFile(built.wheel_path) as wheel:
        info = next(p for p in paths if p.endswith(".dist-info/entry_points.txt"))
        entry_points = wheel.read(info).decode()
        metadata = wheel.read(info.replace("entry_points.txt", "METADATA")).decode()
    assert "igcourse = igcourse.student_cli:main" in entry_points
    assert "Name: igcourse-student" in metadata
    for module in ("student.py", "student_cli.py", "checks/__init__.py", "data/catalog.py"):
        assert f"igcourse/{module}" in paths
    assert "igcourse/data/catalog.json" in paths  # the catalog travels with its loader
    assert {p.split("/")[0] for p in paths} == {"igcourse", "igcourse_student-0.1.0.dist-info"}


def test_nothing_secret_reaches_the_bundle(built):
    for name, _data in members(built.zip_path):
        inner = name.split("!")[-1]
        parts = PurePosixPath(inner).parts
        assert not SECRET_FOLDERS & set(parts), name
        assert PurePosixPath(inner).name not in ("course_config.py", "nbgrader_config.py"), name
        if parts[0] == "igcourse":
            module = parts[1].removesuffix(".py")
            assert module not in SECRET_MODULES, name


def test_no_solution_line_of_any_master_notebook_is_in_the_bundle(built):
    masters = sorted((ROOT / "source").rglob("*.ipynb"))
    assert masters
    secrets = {
        line: masters[index].name
        for line, index in course_solution_lines([read_notebook(m) for m in masters]).items()
    }
    assert secrets
    found = [
        f"{name}: {line!r} ({secrets[line]})"
        for name, data in members(built.zip_path)
        for line in sorted(visible_lines(name, data) & secrets.keys())
    ]
    assert found == []


def test_the_bundle_is_byte_for_byte_reproducible(built, tmp_path):
    again = bundling.bundle(ROOT, tmp_path)
    assert again.wheel_path.read_bytes() == built.wheel_path.read_bytes()
    assert again.zip_path.read_bytes() == built.zip_path.read_bytes()


def test_every_engine_module_is_either_shipped_or_kept_back():
    assert bundling.unclassified_modules(ROOT / "igcourse") == []


def test_the_repository_reads_its_own_catalog_not_a_stray_packaged_copy():
    from igcourse.data import catalog

    assert catalog.CATALOG_PATH == catalog.REPO_CATALOG
    assert catalog.REPO_CATALOG.parent.name == "datasets" and catalog.REPO_CATALOG.is_file()


def _course_copy(tmp_path):
    """The files `bundle` reads, copied, so that a test can break one."""
    copy = tmp_path / "course"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("igcourse", "source", "release"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for name in (
        "course_config.py",
        "requirements.txt",
        "datasets/catalog.json",
        "docs/students.md",
    ):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, copy / name)
    return copy


def test_a_student_module_importing_what_stays_behind_stops_the_bundle(tmp_path):
    copy = _course_copy(tmp_path)
    with open(copy / "igcourse" / "notebook.py", "a") as f:
        f.write("\n\ndef _peek():\n    from igcourse.grading import course  # noqa: F401\n")
    with pytest.raises(
        bundling.BundleError, match=r"igcourse/notebook.py imports igcourse.grading"
    ):
        bundling.bundle(copy, tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_a_solution_line_in_a_shipped_file_stops_the_bundle(tmp_path):
    copy = _course_copy(tmp_path)
    master = sorted((copy / "source").rglob("*.ipynb"))[0]
    line = sorted(course_solution_lines([read_notebook(master)]))[0]
    with open(copy / "igcourse" / "notebook.py", "a") as f:
        f.write(f'\n\n_NOTE = """\n{line}\n"""\n')
    with pytest.raises(bundling.BundleError, match="solution text") as caught:
        bundling.bundle(copy, tmp_path / "dist")
    assert f"igcourse/notebook.py: {line!r}" in str(caught.value)
    assert not (tmp_path / "dist").exists()


# ---------------------------------------------------------------- a fresh environment


def _run(command, cwd, env, timeout=240):
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def fresh_environment(tmp_path):
    """A new virtual environment that sees this one's packages but not its igcourse.

    The .pth line only adds this environment's site-packages to sys.path; .pth files in it
    (the editable install of igcourse among them) are not processed, since it is no site dir.
    """
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        tmp_path,
        os.environ,
    ).stdout.strip()
    Path(purelib, "course-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "IGCOURSE_ROOT", "VIRTUAL_ENV", "JUPYTER_PATH")
    }
    env |= QUIET | {
        "PATH": f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}",
        "HOME": str(tmp_path / "home"),  # no user site, no ~/.jupyter of the developer
        "JUPYTER_PATH": str(env_dir / "share" / "jupyter"),
        "PYTHONNOUSERSITE": "1",
    }
    return env_dir, python, env


@pytest.mark.slow
def test_the_wheel_alone_runs_the_course_in_a_fresh_environment(built, tmp_path):
    env_dir, python, env = fresh_environment(tmp_path)
    work = tmp_path / "work"  # the current folder: no igcourse/ to import from
    work.mkdir()
    (tmp_path / "home").mkdir()

    before = _run([python, "-c", "import igcourse"], work, env)
    assert before.returncode != 0 and "No module named 'igcourse'" in before.stderr
    assert _run([python, "-c", "import nbformat, ipykernel, numpy"], work, env).returncode == 0

    install = [python, "-m", "pip", "install", "--no-deps", "--no-index", built.wheel_path]
    done = _run(install, work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    where = _run([python, "-c", "import igcourse; print(igcourse.__file__)"], work, env)
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout + where.stderr
    for secret in ("igcourse.grading", "igcourse.build", "igcourse.classroom", "igcourse.cli"):
        probe = _run([python, "-c", f"import {secret}"], work, env)
        assert f"ModuleNotFoundError: No module named '{secret}'" in probe.stderr, secret

    igcourse = str(env_dir / "bin" / "igcourse")
    listing = _run([igcourse, "data", "list"], work, env)
    assert listing.returncode == 0 and "fashion-mnist" in listing.stdout, listing.stderr

    chapter = "ch01_pixelcnn"
    release = ROOT / "release" / chapter / "pixel_probabilities.ipynb"
    unanswered = _run([igcourse, "check", release], work, env)
    assert unanswered.returncode == 1, unanswered.stdout + unanswered.stderr
    assert "0 of 5 parts pass their public checks." in unanswered.stdout
    master = work / chapter / "pixel_probabilities.ipynb"  # the reference answer
    master.parent.mkdir()
    shutil.copyfile(ROOT / "source" / chapter / master.name, master)
    answered = _run([igcourse, "check", master], work, env)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "5 of 5 parts pass their public checks." in answered.stdout

    # The master notebook (the release's code and the answers) in a kernel of the new env.
    kernel = "igcourse-student-test"
    spec = [python, "-m", "ipykernel", "install", "--prefix", env_dir, "--name", kernel]
    assert _run(spec, work, env).returncode == 0
    notebook = read_notebook(master)
    notebook.cells.append(
        nbformat.v4.new_code_cell("import igcourse, sys\nprint(igcourse.__file__, sys.prefix)")
    )
    nbformat.write(notebook, str(master))
    runner = (
        "import sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=150, kernel_name=sys.argv[2],\n"
        "               resources={'metadata': {'path': sys.argv[3]}}).execute()\n"
        "print(nb.cells[-1].outputs[0]['text'])\n"
    )
    # The runner is the course environment's Python: nbclient starts the new env's kernel.
    executed = _run(
        [sys.executable, "-c", runner, master, kernel, work], work, env | {"IGCOURSE_QUICK": "1"}
    )
    assert executed.returncode == 0, executed.stdout[-3000:] + executed.stderr[-3000:]
    module_file, prefix = executed.stdout.split()[-2:]
    assert prefix == str(env_dir) and module_file.startswith(str(env_dir))
