"""`igcourse bundle`: what students receive, and nothing that gives answers away.

Two files are written:
  igcourse_student-<version>-py3-none-any.whl   the engine's student modules, installable
  igcourse-student-<version>.zip                 everything a student needs, in one folder:
      README.md             docs/students.md: the two commands to start
      requirements.txt      the pinned packages students need, then the wheel
      igcourse_student-<version>-py3-none-any.whl
      datasets/catalog.json the data catalog (the wheel carries a copy too)
      notebooks/<chapter>/  the release notebooks, one per language

The wheel's distribution is `igcourse-student`; it installs the import package `igcourse` with
only the modules in STUDENT_MODULES (and OPTIONAL_MODULES where they import nothing that stays
behind), and a console script `igcourse` with the students' commands (igcourse.student_cli).

Steps, in order:
  1. collect    the student modules; every `igcourse` import they make must be bundled too
  2. stage      a setuptools project in a temporary folder, the catalog copied in as data
  3. wheel      `pip wheel` offline from the staging folder, dated SOURCE_DATE_EPOCH
  4. notebooks  the release notebook of every chapter, notebook and language
  5. screen     no solution line of any master notebook in any file of the bundle
  6. zip        entries sorted and dated, so the same inputs give the same bytes
"""

import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from igcourse import __version__
from igcourse.i18n import _

DISTRIBUTION = "igcourse-student"
PACKAGE = "igcourse"
# Paths inside igcourse/ that students get: a file, or a folder (a package, whole).
STUDENT_MODULES = (
    "__init__.py",
    "i18n.py",
    "notebook.py",
    "notebooks.py",
    "export.py",
    "student.py",
    "student_cli.py",
    "checks",
    "data",
)
# Shipped when everything they import is shipped too; left out (with a note) otherwise.
OPTIONAL_MODULES = ("evaluation",)
# Instructor-side: hidden checks, grading, building, training. Never shipped.
STAYS_BEHIND = (
    "authoring.py",
    "build.py",
    "bundle.py",
    "classroom",
    "cli.py",
    "config.py",
    "demo.py",
    "grading",
    "hygiene.py",
    "lab.py",
    "lean_imports.py",
    "messages.py",
    "paths.py",
    "sandbox",
    "training",
)
# Data files shipped with the modules (besides those inside shipped packages).
MESSAGE_CATALOGS = "locale/*/LC_MESSAGES/*.mo"
CATALOG = "datasets/catalog.json"
PACKAGED_CATALOG = "data/catalog.json"  # inside igcourse/; igcourse.data.catalog finds it
STUDENT_README = "docs/students.md"
# What the notebooks and the student modules import; pinned, with what they need, from the
# course's requirements.txt. nbgrader is not among them: the release notebooks carry its
# metadata but run without it.
STUDENT_REQUIREMENTS = (
    "tensorflow",
    "keras",
    "numpy",
    "matplotlib",
    "pillow",
    "opencv-python-headless",
    "tqdm",
    "ipywidgets",
    "nbformat",
    "ipykernel",
    "jupyterlab",
    "jupyterlab-language-pack-zh-cn",  # JupyterLab's own menus in Chinese (Settings > Language)
)
SOURCE_DATE_EPOCH = 315532800  # 1980-01-01, the earliest date a zip can hold
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class BundleError(RuntimeError):
    """The bundle cannot be built; the message says why and what to do."""


@dataclass
class Bundle:
    """What `bundle` wrote, and what it left out on purpose."""

    zip_path: Path
    wheel_path: Path
    modules: list = field(default_factory=list)  # paths inside igcourse/ that were shipped
    left_out: list = field(default_factory=list)  # notes on optional modules not shipped


def wheel_name(version=__version__):
    return f"{DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl"


def zip_name(version=__version__):
    return f"{DISTRIBUTION}-{version}.zip"


# ---------------------------------------------------------------- 1. collect


def _files_of(package_dir, entry):
    """Every file of one STUDENT_MODULES entry, relative to package_dir, caches left out."""
    path = package_dir / entry
    if path.is_file():
        return [entry]
    if not path.is_dir():
        raise BundleError(
            _("{path}: listed in STUDENT_MODULES but missing").format(path=f"{PACKAGE}/{entry}")
        )
    return sorted(
        p.relative_to(package_dir).as_posix()
        for p in path.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )


def _module_file(package_dir, dotted):
    """igcourse/<...>.py or <...>/__init__.py of a dotted module name, relative; or None."""
    parts = dotted.split(".")[1:]
    if not parts:
        return "__init__.py"
    for candidate in ("/".join(parts) + ".py", "/".join(parts) + "/__init__.py"):
        if (package_dir / candidate).is_file():
            return candidate
    return None


def engine_imports(package_dir, relative):
    """The `igcourse` modules one file imports (anywhere in it), as paths inside igcourse/.

    A module that does not exist is returned by its dotted name, so that it is reported.
    """
    path = package_dir / relative
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = [PACKAGE, *PurePosixPath(relative).parent.parts]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules, members = [alias.name for alias in node.names], []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            modules, members = [base], [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in modules:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                found.add(_module_file(package_dir, name) or name)
        for name in members:  # `from igcourse.data import fetch`: fetch may be a module
            if name.startswith(PACKAGE + ".") and _module_file(package_dir, name):
                found.add(_module_file(package_dir, name))
    return found


def collect_modules(package_dir):
    """(shipped files, notes on left-out optional modules); BundleError on a stray import."""
    package_dir = Path(package_dir)
    shipped = sorted({f for entry in STUDENT_MODULES for f in _files_of(package_dir, entry)})
    catalogs = package_dir.glob(MESSAGE_CATALOGS)
    shipped = sorted({*shipped, *(p.relative_to(package_dir).as_posix() for p in catalogs)})
    problems = _stray_imports(package_dir, shipped)
    if problems:
        raise BundleError(
            _("the student modules import what stays behind:\n{problems}").format(
                problems="\n".join(problems)
            )
        )
    notes = []
    for entry in OPTIONAL_MODULES:
        if not (package_dir / entry).exists():
            continue
        files = _files_of(package_dir, entry)
        stray = _stray_imports(package_dir, sorted({*shipped, *files}))
        if stray:
            notes.append(
                _("{module} left out: {problems}").format(
                    module=f"{PACKAGE}/{entry}", problems="; ".join(stray)
                )
            )
        else:
            shipped = sorted({*shipped, *files})
    return shipped, notes


def _stray_imports(package_dir, shipped):
    problems = []
    for relative in shipped:
        if not relative.endswith(".py"):
            continue
        for target in sorted(engine_imports(package_dir, relative) - set(shipped)):
            problems.append(
                _("{path} imports {module}, which students do not get").format(
                    path=f"{PACKAGE}/{relative}", module=_dotted(target)
                )
            )
    return problems


def _dotted(target):
    """'grading/__init__.py' -> 'igcourse.grading'; a dotted name stays as it is."""
    if not target.endswith(".py"):
        return target
    parts = PurePosixPath(target).with_suffix("").parts
    return ".".join([PACKAGE, *parts[: -1 if parts[-1] == "__init__" else None]])


def unclassified_modules(package_dir):
    """Entries of igcourse/ that are in none of the three lists (a new module, say)."""
    listed = {*STUDENT_MODULES, *OPTIONAL_MODULES, *STAYS_BEHIND, "locale"}
    return sorted(
        p.name
        for p in Path(package_dir).iterdir()
        if p.name not in listed
        and p.name != "__pycache__"
        and (p.suffix == ".py" or (p / "__init__.py").is_file())
    )


# ---------------------------------------------------------------- 2. stage and 3. wheel


def read_pins(requirements_txt):
    """{normalised name: 'Name==version'} from a pip freeze file."""
    pins = {}
    for line in Path(requirements_txt).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name = line.split("==", 1)[0].strip()
            pins[_normalise(name)] = line
    return pins


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def student_pins(requirements_txt, direct=STUDENT_REQUIREMENTS):
    """Pinned lines for the direct requirements and everything they need, as installed here.

    The closure follows the installed packages' metadata (markers evaluated for this machine,
    extras left out); a package the course does not pin is not listed.
    """
    from importlib import metadata

    from packaging.requirements import Requirement

    pins = read_pins(requirements_txt)
    missing = [name for name in direct if _normalise(name) not in pins]
    if missing:
        raise BundleError(
            _("{file} pins none of: {names}").format(
                file=requirements_txt, names=", ".join(missing)
            )
        )
    seen, todo = set(), [_normalise(name) for name in direct]
    while todo:
        name = todo.pop()
        if name in seen or name not in pins:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_normalise(requirement.name))
    return [pins[name] for name in sorted(seen)]


def _compatible(pin):
    """'numpy==2.4.6' -> 'numpy~=2.4': the same major version, at least the tested minor."""
    name, version = pin.split("==", 1)
    release = re.match(r"\d+(\.\d+)?", version).group(0)
    if "." not in release:
        release += ".0"
    return f"{name}~={release}"


def _package_data(files):
    """setuptools package-data: each data file under its nearest package."""
    packages = {str(PurePosixPath(f).parent) for f in files if f.endswith("__init__.py")}
    data = {}
    for relative in files:
        if relative.endswith(".py"):
            continue
        folder = PurePosixPath(relative).parent
        while str(folder) not in packages and str(folder) != ".":
            folder = folder.parent
        package = PACKAGE if str(folder) == "." else f"{PACKAGE}.{str(folder).replace('/', '.')}"
        data.setdefault(package, []).append(str(PurePosixPath(relative).relative_to(folder)))
    return data


def _pyproject(dependencies, package_data):
    lines = [
        "[build-system]",
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        f'name = "{DISTRIBUTION}"',
        f'version = "{__version__}"',
        'description = "Hands-On Image Generation with TensorFlow 2: what students need"',
        'readme = "README.md"',
        'requires-python = ">=3.11"',
        'license = { text = "MIT" }',
        "dependencies = " + json.dumps(dependencies),
        "",
        "[project.scripts]",
        'igcourse = "igcourse.student_cli:main"',
        "",
        "[tool.setuptools.packages.find]",
        f'include = ["{PACKAGE}", "{PACKAGE}.*"]',
        "",
        "[tool.setuptools.package-data]",
    ]
    lines += [
        f'"{name}" = {json.dumps(sorted(files))}' for name, files in sorted(package_data.items())
    ]
    return "\n".join(lines) + "\n"


def stage(root, files, stage_dir, dependencies):
    """A setuptools project holding only the given igcourse/ files, the catalog and README."""
    root, stage_dir = Path(root), Path(stage_dir)
    for relative in files:
        target = stage_dir / PACKAGE / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / PACKAGE / relative, target)
    shutil.copyfile(root / CATALOG, stage_dir / PACKAGE / PACKAGED_CATALOG)
    shutil.copyfile(root / STUDENT_README, stage_dir / "README.md")
    data_files = [*files, PACKAGED_CATALOG]
    (stage_dir / "pyproject.toml").write_text(
        _pyproject(dependencies, _package_data(data_files)), encoding="utf-8"
    )


def build_wheel(stage_dir, out_dir):
    """`pip wheel` offline, without build isolation (setuptools comes from this environment)."""
    import importlib.util

    if importlib.util.find_spec("setuptools") is None:  # venvs of Python 3.12+ come without it
        raise BundleError(
            _("building the wheel needs setuptools here: {command}").format(
                command=f"{sys.executable} -m pip install setuptools wheel"
            )
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--no-cache-dir",
        "--wheel-dir",
        str(out_dir),
        str(stage_dir),
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH), "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=stage_dir)
    wheel = out_dir / wheel_name()
    if done.returncode != 0 or not wheel.is_file():
        raise BundleError(
            _("building the wheel failed:\n{log}").format(log=(done.stdout + done.stderr)[-4000:])
        )
    return wheel


# ---------------------------------------------------------------- 4. notebooks


def release_notebooks(root):
    """{path inside notebooks/: file} for every chapter, notebook and language of the course."""
    from igcourse.config import load_config
    from igcourse.notebooks import release_name

    config = load_config(root)
    languages = config.course.languages
    found, missing = {}, []
    for chapter, notebooks in config.chapters.items():
        for name in notebooks:
            for language in languages:
                relative = f"{chapter}/{release_name(name, language, languages[0])}"
                path = Path(root) / "release" / relative
                if path.is_file():
                    found[relative] = path
                else:
                    missing.append(f"release/{relative}")
    if missing:
        raise BundleError(
            _("release notebooks missing (run `igcourse build`): {paths}").format(
                paths=", ".join(missing)
            )
        )
    return found


# ---------------------------------------------------------------- 5. screen


def text_lines(name, data):
    """The stripped lines a reader sees in one file: a notebook's cells, or the file's text."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        try:
            notebook = json.loads(text)
            sources = []
            for cell in notebook.get("cells", []):
                source = cell.get("source", "")
                sources.append(source if isinstance(source, str) else "".join(source))
                for output in cell.get("outputs", []):
                    value = output.get("text", "")
                    sources.append(value if isinstance(value, str) else "".join(value))
            text += "\n" + "\n".join(sources)
        except (ValueError, AttributeError):
            pass
    return {line.strip() for line in text.splitlines()}


def secret_lines(root):
    """{line: master notebook} for every solution line of every master notebook."""
    from igcourse.export import read_notebook
    from igcourse.hygiene import course_solution_lines

    paths = [
        path
        for path in sorted((Path(root) / "source").rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in path.parts
    ]
    secrets = course_solution_lines([read_notebook(path) for path in paths])
    return {line: paths[index].relative_to(root).as_posix() for line, index in secrets.items()}


def archive_members(path):
    """(name, bytes) of every file in a zip, and of every file in the wheels inside it."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = archive.read(info)
            yield info.filename, data
            if info.filename.endswith(".whl"):
                for inner, inner_data in archive_members(io.BytesIO(data)):
                    yield f"{info.filename}!{inner}", inner_data


def leaks(members, secrets):
    """'file: line (from master)' for every solution line found in the given (name, bytes)."""
    found = []
    for name, data in members:
        for line in sorted(text_lines(name, data) & secrets.keys()):
            found.append(f"{name}: {line!r} ({secrets[line]})")
    return found


# ---------------------------------------------------------------- 6. zip


def write_zip(path, entries, mode_of=lambda name: 0o644):
    """A zip of {name: bytes}, entries sorted, fixed date; mode_of(name): the entry's Unix
    mode bits (file type and permissions)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = mode_of(name) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])


def bundle(root=None, out=None):
    """Build the student wheel and zip under out (default <root>/dist); returns a Bundle."""
    from igcourse.paths import repo_root

    root = (Path(root) if root else repo_root()).resolve()
    out = Path(out) if out else root / "dist"
    files, notes = collect_modules(root / PACKAGE)
    pins = student_pins(root / "requirements.txt")
    direct = {_normalise(name) for name in STUDENT_REQUIREMENTS}
    dependencies = [_compatible(pin) for pin in pins if _normalise(pin.split("==")[0]) in direct]
    secrets = secret_lines(root)
    top = f"{DISTRIBUTION}-{__version__}"
    entries = {
        f"{top}/README.md": (root / STUDENT_README).read_bytes(),
        f"{top}/requirements.txt": _requirements_txt(pins),
        f"{top}/{CATALOG}": (root / CATALOG).read_bytes(),
    }
    for relative, path in release_notebooks(root).items():
        entries[f"{top}/notebooks/{relative}"] = path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="igcourse-bundle-") as tmp:
        stage_dir = Path(tmp) / "stage"
        stage(root, files, stage_dir, dependencies)
        staged = [
            (f"{wheel_name()}!{path.relative_to(stage_dir).as_posix()}", path.read_bytes())
            for path in sorted(stage_dir.rglob("*"))
            if path.is_file()
        ]
        _refuse_leaks([*entries.items(), *staged], secrets)  # before the slow part
        wheel_bytes = build_wheel(stage_dir, Path(tmp) / "wheel").read_bytes()
    _refuse_leaks(archive_members(io.BytesIO(wheel_bytes)), secrets)  # its generated metadata
    entries[f"{top}/{wheel_name()}"] = wheel_bytes
    out.mkdir(parents=True, exist_ok=True)
    zip_path, wheel_path = out / zip_name(), out / wheel_name()
    write_zip(zip_path, entries)
    wheel_path.write_bytes(wheel_bytes)
    return Bundle(zip_path, wheel_path, [f"{PACKAGE}/{f}" for f in files], notes)


def _refuse_leaks(members, secrets):
    found = leaks(members, secrets)
    if found:
        raise BundleError(
            _("solution text would reach students, nothing written:\n{lines}").format(
                lines="\n".join(found)
            )
        )


def _requirements_txt(pins):
    header = [
        "# Pinned packages for the course's student notebooks (from the course's",
        "# requirements.txt), then the course's own package. Install from this folder:",
        "#   pip install -r requirements.txt",
    ]
    return ("\n".join([*header, *pins, f"./{wheel_name()}"]) + "\n").encode()


# ---------------------------------------------------------------- command line


def add_bundle_parser(subparsers):
    """Add `bundle [--out DIR]` to the console script's parser."""
    parser = subparsers.add_parser(
        "bundle", help=_("build the student bundle: release notebooks and the student wheel")
    )
    parser.add_argument("--out", help=_("folder for the zip and the wheel (default: dist/)"))
    parser.set_defaults(func=cmd_bundle)
    return parser


def cmd_bundle(args):
    """Run `igcourse bundle`; a BundleError becomes one message and exit code 1."""
    try:
        result = bundle(getattr(args, "root", None), args.out)
    except BundleError as error:
        print(_("bundle: {error}").format(error=error), file=sys.stderr)
        return 1
    for note in result.left_out:
        print(note, file=sys.stderr)
    print(_("student bundle: {path}").format(path=result.zip_path))
    print(_("student wheel: {path}").format(path=result.wheel_path))
    return 0
