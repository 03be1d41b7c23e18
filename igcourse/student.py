"""`igcourse check NOTEBOOK`: the public checks of a saved notebook, from a terminal.

The checks run on the notebook's code as grading loads it (igcourse.export: the answer cells'
statements and the other cells' definitions), as the check cells do inside the notebook;
training and plotting cells are not run. The parts are
the notebook's own solution cells; its chapter is recorded in the notebook's metadata by the
build (or read from the folder name).

The report is the command's only output: TensorFlow's start-up log is kept out of it
(quiet_tensorflow), and it is written in the notebook's language (notebook_language).
"""

import contextlib
import importlib.abc
import logging
import os
import re
import subprocess
import sys
import types
from pathlib import Path

from igcourse.checks import public_checks, report, run_part
from igcourse.export import read_notebook, submission_module_source
from igcourse.i18n import LANGUAGES, _
from igcourse.notebooks import is_solution_cell, nbgrader_meta

# Set before TensorFlow is first imported, in this process and (inherited) in the ones it
# starts; a value already in the environment is kept. It silences the C++ runtime's own log
# (cpu_feature_guard, "failed call to cuInit", an op's failure logged beside its exception):
# errors in the student's code still reach the report, as Python exceptions.
QUIET_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3"}
# TensorFlow's and absl's Python loggers: AutoGraph's "could not transform" and retracing
# warnings. Python warnings (the warnings module), the course's own included, are left alone.
QUIET_LOGGERS = ("tensorflow", "absl")
# The modules whose import loads TensorFlow's C++ libraries (keras loads tensorflow).
QUIET_IMPORTS = ("tensorflow",)
# Lines TensorFlow's libraries log while they load: absl's (I0000 00:00:1796496648.704431
# 14111 port.cc:153] oneDNN custom operations are on ...) and the older format (2025-09-17
# 14:44:05.157831: I external/.../cudart_stub.cc:32] Could not find cuda drivers ...).
_START_UP_LOG = re.compile(
    r"(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] "
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] \S+:\d+\] "
    r"|To enable the following instructions: .* rebuild TensorFlow)"
)


class NotACourseNotebook(ValueError):
    """The file is not a notebook of this course; the message says why."""


def notebook_identity(path, notebook):
    """(chapter, notebook name) of a course notebook."""
    origin = notebook.metadata.get("igcourse", {}).get("generated_from", "")
    parts = Path(origin).parts if origin else Path(path).resolve().parts[-2:]
    chapter, name = parts[-2], Path(parts[-1]).name.split(".")[0]
    if not (chapter.startswith("ch") and chapter[2:4].isdigit()):
        raise NotACourseNotebook(
            _(
                "{path} is not a notebook of this course (no chapter in its metadata or folder)"
            ).format(path=path)
        )
    return chapter, name


def graded_parts(notebook):
    return [
        nbgrader_meta(c)["grade_id"]
        for c in notebook.cells
        if is_solution_cell(c) and nbgrader_meta(c).get("grade_id")
    ]


def load_definitions(notebook, name):
    """The notebook's code as grading loads it, run statement by statement in a fresh module
    (one that fails does not stop the others); returns (namespace, errors)."""
    import ast
    import linecache

    module = types.ModuleType(f"student_{name}")
    source = submission_module_source(notebook)
    filename = f"<{name}.ipynb>"
    # Registered, so that tf.function's AutoGraph can read the code (a loop over tf.range).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    sys.modules[module.__name__] = module
    errors = []
    for node in ast.parse(source, filename).body:
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
        try:
            exec(code, module.__dict__)  # noqa: S102
        except Exception as error:  # noqa: BLE001 (reported; the rest still loads)
            errors.append(f"{type(error).__name__}: {error}")
    return vars(module), errors


def notebook_language(path):
    """The language the build wrote into the notebook's metadata, else the one its name says
    (pixelcnn.zh.ipynb), else None."""
    try:
        language = read_notebook(path).metadata.get("igcourse", {}).get("language")
    except Exception:  # noqa: BLE001 (check_notebook says what is wrong with the file)
        language = None
    if language in LANGUAGES:
        return language
    suffixes = Path(path).suffixes
    if len(suffixes) >= 2 and suffixes[-1] == ".ipynb" and suffixes[-2][1:] in LANGUAGES:
        return suffixes[-2][1:]
    return None


def prepare_check(notebook, language_given):
    """Before `check` runs a notebook: its report in the notebook's language (unless --lang or
    IGCOURSE_LANG chose one), and TensorFlow's start-up log kept out of it."""
    from igcourse.i18n import set_language

    language = None if language_given else notebook_language(notebook)
    if language:
        set_language(language)
    quiet_tensorflow()


def quiet_tensorflow():
    """Keep TensorFlow's start-up log out of this process's output; call it before TensorFlow
    is first imported (by the notebook's code or by a check).

    TF_CPP_MIN_LOG_LEVEL does not reach the lines TensorFlow's C++ libraries log as they load
    ("All log messages before absl::InitializeLog() ...", oneDNN, "Could not find cuda
    drivers": tensorflow/tensorflow#100442), so the first import of TensorFlow runs with file
    descriptor 2 sent through a filter process: those lines are dropped and anything else
    reaches stderr; if the import fails, or kills the process, everything does.
    TF_CPP_MIN_LOG_LEVEL=0 in the environment shows TensorFlow's whole log instead.
    """
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.ERROR)
    if os.environ.get("TF_CPP_MIN_LOG_LEVEL") == "0":
        return
    if not any(isinstance(finder, _QuietImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietImport())


class _QuietImport(importlib.abc.MetaPathFinder):
    """Finds the first of QUIET_IMPORTS to be imported, and has its loader run quietly."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in QUIET_IMPORTS or fullname in sys.modules:
            return None
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)  # once: the libraries load on the first import
        for finder in list(sys.meta_path):  # the finders that would have found it
            find_spec = getattr(finder, "find_spec", None)
            spec = find_spec(fullname, path, target) if find_spec else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__spec__.loader = module.__loader__ = self.loader  # the module keeps its own
        with _start_up_log_dropped():
            self.loader.exec_module(module)


# What the first import of TensorFlow writes to file descriptor 2 goes through a process of
# its own, which outlives this one: an import that kills the process (TensorFlow's fatal "was
# compiled to use AVX instructions, but these aren't available", then abort) still has its
# last words shown. The input ends with _IMPORTED when the import succeeded; only then are the
# start-up lines left out.
_IMPORTED = b"\n\x1figcourse: TensorFlow imported\x1f\n"
_FILTER = f"""
import re, sys
start_up, imported = re.compile({_START_UP_LOG.pattern!r}), {_IMPORTED!r}
data = sys.stdin.buffer.read()
if data.endswith(imported):
    lines = data[: -len(imported)].decode(errors="replace").splitlines(keepends=True)
    data = "".join(line for line in lines if not start_up.match(line)).encode()
sys.stderr.buffer.write(data)
"""
# A process started by the import may hold the filter's input open; the filter's output then
# comes when that process ends, and this one does not wait longer than this for it.
FILTER_WAIT_S = 10


def _start_filter():
    """The filter process, and the write end of its input."""
    read_end, write_end = os.pipe()
    try:
        command = [sys.executable, "-I", "-S", "-c", _FILTER]
        return subprocess.Popen(command, stdin=read_end), write_end
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)


@contextlib.contextmanager
def _start_up_log_dropped():
    """Run the block with file descriptor 2 sent to the filter process, which writes it to
    stderr less TensorFlow's start-up log lines (all of it if the block raised or the process
    died in it); this process waits for it before going on."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (AttributeError, OSError, ValueError):  # no stderr: nothing to keep clean
        yield
        return
    try:
        process, write_end = _start_filter()
    except OSError:  # no interpreter to start: the log shows
        os.close(saved)
        yield
        return
    succeeded = False
    try:
        os.dup2(write_end, 2)
        os.close(write_end)
        yield
        succeeded = True
    finally:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            sys.stderr.flush()
        if succeeded:
            os.write(2, _IMPORTED)
        os.dup2(saved, 2)  # the filter's input ends here, or when the last process holding it does
        os.close(saved)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=FILTER_WAIT_S)


def check_notebook(path, out=None):
    """Run every public check of the notebook's parts; print a report; return the exit code."""
    out = out or sys.stdout
    path = Path(path)
    try:
        notebook = read_notebook(path)
    except FileNotFoundError:
        print(_("{path}: no such file").format(path=path), file=out)
        return 2
    except Exception as error:  # broken JSON, not UTF-8, not a notebook
        print(
            _("{path} is not a readable notebook: {error}").format(path=path, error=error), file=out
        )
        return 2
    chapter, name = notebook_identity(path, notebook)
    table = public_checks(chapter)
    parts = [part for part in graded_parts(notebook) if part in table]
    try:
        namespace, errors = load_definitions(notebook, name)
    except SyntaxError as error:
        print(_("Your notebook's code does not parse: {error}").format(error=error), file=out)
        return 1
    for error in errors:  # e.g. a bad import: the parts that do not need it are still checked
        print(_("Running your notebook's code failed: {error}").format(error=error), file=out)
    failed_parts = 0
    for part in parts:
        results = run_part(chapter, part, namespace)
        passed = sum(r.passed for r in results)
        print(
            _("{part}: {passed} of {total} public checks passed").format(
                part=part, passed=passed, total=len(results)
            ),
            file=out,
        )
        report(results, file=out)
        failed_parts += passed < len(results)
    print(
        _("{ok} of {total} parts pass their public checks.").format(
            ok=len(parts) - failed_parts, total=len(parts)
        ),
        file=out,
    )
    return 1 if failed_parts else 0
