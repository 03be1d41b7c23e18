"""The sandboxed process: loads a submission, then runs probes on it, answering with data.

Started by igcourse.sandbox.session with the request pipe and the answer pipe on the file
descriptors named by IGCOURSE_SANDBOX_FDS; its stdout and stderr go to the grader, which keeps
only the first few KiB and never shows them to a student.

A probe runs on a Namespace: the submission's module, or for a part (a probe request with
`part`), a fresh copy of the submission's code in which the other parts' names are taken from
a slice of the reference that the request carries (only the definitions that part needs).
"""

import os
import sys
import traceback
import types

STUDENT_FILE = "<submission>"
PROBES_FILE = "<probes>"
REFERENCE_FILE = "<reference slice>"
MAX_MESSAGE = 2000


class MissingName(AttributeError):
    """The submission does not define a name that a probe asked for."""


class Namespace:
    """The code under test as a probe sees it: `ns.quantize`, and `ns.folder` for its files."""

    def __init__(self, module, folder=None):
        self._module = module
        self._folder = folder

    @property
    def folder(self):
        """The folder holding the files handed in with the submission (a pathlib.Path), or None."""
        from pathlib import Path

        return Path(self._folder) if self._folder else None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return getattr(self._module, name)
        except AttributeError:
            raise MissingName(name) from None

    def defines(self, name):
        return hasattr(self._module, name)


def to_data(value):
    """Tensors and variables become NumPy arrays; containers are converted item by item."""
    import numpy as np

    if value is None or isinstance(value, (bool, int, float, str, np.ndarray, np.generic)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if hasattr(value, "numpy"):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except Exception:  # objects that refuse conversion are reported by their own type
        return value
    return array if array.dtype.kind in "biufc" else value


def _student_traceback(error):
    """The frames of the student's own code, which is what they can act on."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == STUDENT_FILE
    ]
    lines = traceback.format_list(frames[-3:])
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)[-MAX_MESSAGE:]


def _student_function(error):
    """The qualified name of the deepest frame in the student's code, or None."""
    name = None
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == STUDENT_FILE:
            name = getattr(code, "co_qualname", code.co_name)
        tb = tb.tb_next
    return None if name == "<module>" else name


def _error_answer(error):
    if isinstance(error, MissingName):
        return {"ok": False, "error": "MissingName", "message": str(error), "missing": str(error)}
    try:
        text = str(error)[:MAX_MESSAGE]
    except BaseException:  # an exception whose __str__ fails says nothing
        text = ""
    return {
        "ok": False,
        "error": type(error).__name__,
        "message": _student_traceback(error),
        "detail": text,
        "function": _student_function(error),
    }


def _load(source, name, filename):
    """Run the source statement by statement: one that fails does not stop the rest.

    Returns the module and the errors, so a half-done submission is graded as far as it goes.
    """
    import ast
    import linecache

    module = types.ModuleType(name)
    sys.modules[name] = module
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    errors = []
    for node in ast.parse(source, filename).body:
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
        try:
            exec(code, module.__dict__)  # noqa: S102
        except BaseException as error:  # SystemExit and KeyboardInterrupt included
            errors.append(_student_traceback(error))
    return module, errors


def _part_module(source, part, names, reference, folder):
    """The submission's code again, with the reference slice's definitions of other parts.

    `names` are the part's own names: the slice's code that uses them gets the student's.
    """
    module, _errors = _load(source, f"submission_{part}", STUDENT_FILE)
    if reference:
        import ast

        sliced = types.ModuleType(f"reference_{part}")
        sys.modules[sliced.__name__] = sliced
        for name in names:
            if hasattr(module, name):
                setattr(sliced, name, getattr(module, name))
        # Compiled without docstrings and never put in linecache: no source to print.
        tree = ast.parse(reference["source"], REFERENCE_FILE)
        exec(compile(tree, REFERENCE_FILE, "exec", optimize=2), sliced.__dict__)  # noqa: S102
        for name in reference["override"]:
            setattr(module, name, getattr(sliced, name))
    return Namespace(module, folder)


def serve(requests, answers):
    from igcourse.sandbox.wire import read_frame, write_frame

    submission = probes = None
    source, folder, parts = "", None, {}
    pid = os.getpid()
    while True:
        try:
            request = read_frame(requests)
        except EOFError:
            return
        try:
            if request["op"] == "load":
                probes, _ = _load(request["probes"], "probes", PROBES_FILE)
                source, folder = request["source"], request.get("folder")
                module, errors = _load(source, "submission", STUDENT_FILE)
                submission = Namespace(module, folder)
                defined = sorted(k for k in vars(module) if not k.startswith("__"))
                answer = {"ok": True, "value": {"defined": defined, "errors": errors}}
            else:
                namespace = submission
                part = request.get("part")
                if part is not None:
                    if part not in parts:
                        parts[part] = _part_module(
                            source, part, request.get("names", []), request.get("reference"), folder
                        )
                    namespace = parts[part]
                probe = getattr(probes, request["probe"])
                value = probe(namespace, *request["args"], **request["kwargs"])
                answer = {"ok": True, "value": to_data(value)}
        except BaseException as error:  # the student's code may raise anything, SystemExit too
            answer = _error_answer(error)
        if os.getpid() != pid:
            os._exit(0)  # a process the submission forked must not answer too
        try:
            write_frame(answers, answer)
        except Exception as error:  # a value that is not plain data
            write_frame(answers, {"ok": False, "error": "NotData", "message": str(error)})


def main():
    requests_fd, answers_fd = (int(fd) for fd in os.environ["IGCOURSE_SANDBOX_FDS"].split(","))
    serve(os.fdopen(requests_fd, "rb", buffering=0), os.fdopen(answers_fd, "wb", buffering=0))


if __name__ == "__main__":
    main()
