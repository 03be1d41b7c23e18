"""Recorded proofs: a long proof (a chapter's validation, its master notebooks run in quick mode
or graded, its notebooks in the browser) is skipped only when a result recorded for the exact
same content says it passed.

A proof's digest covers every file it depends on (those git tracks or would track, as a fresh
clone has them once committed): the chapter's checks, zoo, answer sets, reference, release and
master notebooks (every file of its folders but their Markdown, which no proof reads), the
engine's modules that the proof can reach (below) and every file of the engine that is not
Python but the Chinese message catalog (a proof in Chinese names it), course_config.py, the
data catalog, the pinned requirements and pyproject.toml, the test that states what the proof
must show with the test helpers it imports, and the versions of Python, bubblewrap and the
Debian data packages (and of any other program a proof names, such as a browser). Of
course_config.py a chapter's digest reads only what its proofs can: the settings, less the
entries of other chapters (adding a chapter does not run every other chapter's proofs again).

The engine's modules a proof can reach are found from its files (the chapter's Python files,
the code cells of its notebooks, the test and its helpers): every igcourse module they import,
anywhere in them (an import inside a function counts), or name in a string (`python -m
igcourse.sandbox.worker`, `-p igcourse.grading.plugin`), and so on from those modules, each
with the `__init__.py` of its packages. A module that imports a name it builds at run time
(`import_module(f"igcourse.checks.{chapter}")`) brings in the whole package it builds it in, or
its own package when the name is not spelled out, less the modules named after another chapter
(`igcourse/checks/ch04_cyclegan.py` for a proof of chapter 1): such a name is built from the
chapter being proved, so another chapter's module is reached only where a file imports it by
name (and then it counts). A change to a module no proof reaches (the
class report, the command line) runs no proof again. `proofs/<chapter>.json`
(committed) holds, per proof, the digest it passed for, when, in how long, and its summary
line. A change anywhere in those files changes the digest, and the proof runs again; when it
passes, the record is rewritten, to be committed with the change. Nothing is skipped on trust:
only an exact match skips.
"""

import ast
import hashlib
import json
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path

RECORDS = "proofs"
ENGINE = "igcourse"
COURSE_CONFIG = "course_config.py"
CHAPTER_KEY = re.compile(r"ch\d\d_\w+")  # a chapter folder's name: its entries in the config
SHARED_FILES = (
    COURSE_CONFIG,
    "requirements.txt",
    "pyproject.toml",
    "datasets/catalog.json",
    "tests/proved.py",
    "tests/conftest.py",
)
TESTS = "tests"
OTHER_LANGUAGE_CATALOGS = "igcourse/locale/zh"  # read only where messages are Chinese
CHAPTER_FOLDERS = ("autograder", "solutions", "release", "source")
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
# What people read and no proof does: a chapter's READMEs and RESULTS.md carry the figures of
# its proofs and trainings, and writing them down must not make those proofs stale.
NOT_READ_SUFFIX = ".md"


DATA_PACKAGES = ("dataset-fashion-mnist", "libdlib-data", "opencv-doc")


def _tracked(root, folders):
    """The files under `folders` that git tracks or would track once committed (what a fresh
    clone has: a new file counts before its first commit), or None outside git."""
    listed = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--"]
    command = ["git", "-C", str(root), *listed, *(str(f) for f in folders)]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        return None
    return [root / name for name in done.stdout.decode().split("\0") if name]


def _listed(root, folders):
    """The files under `folders` (relative to root) that a fresh clone has, or all of them
    outside git."""
    tracked = _tracked(root, folders)
    if tracked is not None:
        return tracked
    files = []
    for folder in folders:
        files += [
            p
            for p in (root / folder).rglob("*")
            if p.is_file() and not SKIPPED_PARTS & set(p.parts)
        ]
    return files


def _files(root, chapter, also=()):
    root = Path(root)
    chapter_files = _listed(root, [Path(folder) / chapter for folder in CHAPTER_FOLDERS])
    chapter_files = [p for p in chapter_files if p.suffix != NOT_READ_SUFFIX]
    engine = [p for p in _listed(root, [Path(ENGINE)]) if p.exists()]
    tests = {p.stem: p for p in _listed(root, [Path(TESTS)]) if p.suffix == ".py"}
    starts = [root / name for name in SHARED_FILES if name.endswith(".py")]
    starts += [p for p in chapter_files if p.suffix in (".py", ".ipynb")] + list(also)
    reached = _reached(root, chapter, [p for p in starts if p.exists()], engine, tests)
    other = root / OTHER_LANGUAGE_CATALOGS
    not_python = [p for p in engine if p.suffix != ".py" and other not in p.parents]
    files = [root / name for name in SHARED_FILES] + chapter_files + not_python
    return sorted({p for p in files + sorted(reached) if p.exists()})


def _reached(root, chapter, starts, engine, tests):
    """The engine modules and test helpers the files `starts` reach (see the module's text)."""
    modules = {_module_name(root, p): p for p in engine if p.suffix == ".py"}
    reached, todo = set(), [Path(p) for p in starts]
    while todo:
        path = todo.pop()
        for name in _named_modules(path, _module_name(root, path)):
            found = _resolve(name, modules, tests, chapter)
            todo += [p for p in found if p not in reached]
            reached |= found
    return reached


def _module_name(root, path):
    parts = list(Path(path).resolve().relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(name, modules, tests, chapter):
    """The files of module `name` and of its packages' __init__.py; "pkg.*" is every module of
    the package but those named after another chapter than `chapter`; a bare name is a test
    helper (tests/<name>.py)."""
    if "." not in name and name != ENGINE:
        return {tests[name]} if name in tests else set()
    if name.endswith(".*"):
        prefix = name[:-1]
        found = {
            p
            for module, p in modules.items()
            if module.startswith(prefix) and not _of_another_chapter(module, chapter)
        }
        name = name[:-2]
    else:
        found = {modules[name]} if name in modules else set()
    parts = name.split(".")
    for end in range(1, len(parts)):
        package = ".".join(parts[:end])
        if package in modules:
            found.add(modules[package])
    return found


def _of_another_chapter(module, chapter):
    """Whether a module is named after a chapter other than `chapter` (the number counts:
    `igcourse.checks.ch04_pix2pix` belongs to `ch04_image_translation`)."""
    last = module.rpartition(".")[2]
    return bool(CHAPTER_KEY.fullmatch(last)) and last[:5] != chapter[:5]


ENGINE_NAME = re.compile(rf"^{ENGINE}(\.[A-Za-z_]\w*)+$")


def _named_modules(path, own):
    """The module names a file imports or names (see the module's text); "pkg.*" for a whole
    package, and the whole engine where a file cannot be read as Python (its reach is unknown).
    A notebook's code cells are read one by one, without their IPython magics."""
    trees = _parse(path)
    if trees is None:
        return {f"{ENGINE}.*"}
    package = own if Path(path).name == "__init__.py" else own.rpartition(".")[0]
    names = set()
    for node in (node for tree in trees for node in ast.walk(tree)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ENGINE_NAME.match(node.value):
                names.add(node.value)
        elif isinstance(node, ast.JoinedStr) and len(node.values) > 1:
            first = node.values[0]
            text = first.value if isinstance(first, ast.Constant) else None
            if isinstance(text, str) and text.startswith(f"{ENGINE}."):
                names.add(text.rpartition(".")[0] + ".*")  # f"igcourse.checks.{chapter}"
        elif isinstance(node, ast.Call) and _imports_a_built_name(node):
            # Within the engine, its own package; from anywhere else, what it may be is unknown.
            inside = package == ENGINE or package.startswith(f"{ENGINE}.")
            names.add(f"{package}.*" if inside else f"{ENGINE}.*")
    return names


def _imports_a_built_name(call):
    function = call.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if called not in ("import_module", "__import__") or not call.args:
        return False
    return not isinstance(call.args[0], ast.Constant)


def _parse(path):
    """The file's syntax trees (one per code cell of a notebook, without its IPython magics),
    or None if it cannot be read as Python."""
    from igcourse.classroom.staging import code_cells

    path = Path(path)
    try:
        if path.suffix != ".ipynb":
            return [ast.parse(path.read_text(encoding="utf-8"))]
        codes = code_cells(path)
        if codes is None:
            return None
        return [ast.parse(_without_magics(code)) for code in codes]
    except (OSError, ValueError, SyntaxError):
        return None


def _without_magics(code):
    lines = code.splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


def _output(command):
    if not shutil.which(command[0]):
        return ""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _tool_versions():
    """Python, bubblewrap and the Debian data packages the checks read."""
    data = _output(["dpkg-query", "-W", *DATA_PACKAGES])
    return f"python {platform.python_version()}; {_output(['bwrap', '--version'])}; {data}"


def digest(root, chapter, also=(), environment=""):
    """The digest of everything a proof of `chapter` depends on, of the files `also` (the test
    that states what the proof must show, say) and of `environment` (the versions of any other
    program the proof runs, such as a browser)."""
    root = Path(root).resolve()
    hasher = hashlib.sha256((_tool_versions() + environment).encode())
    also = [Path(p).resolve() for p in also]
    for path in sorted(set(_files(root, chapter, also)) | set(also)):
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
        content = path.read_bytes()
        if path == root / COURSE_CONFIG:
            content = _config_of(content, chapter)
        hasher.update(hashlib.sha256(content).digest())
    return hasher.hexdigest()


def _config_of(content, chapter):
    """course_config.py as one chapter's proofs read it: the settings, with every entry that
    belongs to another chapter (a key such as "ch05_style_transfer") left out, so that a new
    chapter's parts or thresholds do not make every other chapter's proofs stale. Comments go
    too (the text is rewritten from its syntax tree); what is left still runs as it did."""
    tree = ast.parse(content)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            kept = [
                (key, value)
                for key, value in zip(node.keys, node.values, strict=True)
                if not _names_another_chapter(key, chapter)
            ]
            node.keys, node.values = [k for k, _ in kept], [v for _, v in kept]
    return ast.unparse(tree).encode()


def _names_another_chapter(key, chapter):
    return (
        isinstance(key, ast.Constant)
        and isinstance(key.value, str)
        and CHAPTER_KEY.fullmatch(key.value) is not None
        and key.value != chapter
    )


def _record_path(root, chapter):
    return Path(root) / RECORDS / f"{chapter}.json"


def recorded(root, chapter, proof):
    """The record of `proof` for `chapter`, or None."""
    path = _record_path(root, chapter)
    try:
        return json.loads(path.read_text(encoding="utf-8")).get(proof)
    except (FileNotFoundError, ValueError):
        return None


def still_proved(root, chapter, proof, also=(), environment=""):
    """The record when it passed for exactly the current content, else None."""
    record = recorded(root, chapter, proof)
    current = digest(root, chapter, also, environment)
    if record and record.get("passed") and record.get("digest") == current:
        return record
    return None


def record(root, chapter, proof, content_digest, seconds, summary):
    """Write that `proof` passed for content_digest (computed before it ran)."""
    path = _record_path(root, chapter)
    path.parent.mkdir(exist_ok=True)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        records = {}
    records[proof] = {
        "passed": True,
        "digest": content_digest,
        "date": time.strftime("%Y-%m-%d"),
        "seconds": round(seconds, 1),
        "summary": summary,
    }
    path.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
