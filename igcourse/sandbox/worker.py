"""The sandboxed process: loads a submission, then runs probes on it, answering with data.

Started by igcourse.sandbox.session with the request pipe and the answer pipe on the file
descriptors named by IGCOURSE_SANDBOX_FDS; its stdout and stderr go to the grader, which keeps
only the first few KiB and never shows them to a student.

The worker holds nothing of the reference: a probe of a part runs on a fresh copy of the
submission's own code, in which the names the probes module lists in STAND_INS[part] (stand-ins
the probes define, never reference code) replace the student's, so that one part can be graded
apart from another where that is sound.

Order matters: the submission loads first, before the probes exist, so code that runs at load
(a class body, a default argument) cannot reach them; the grader's own modules (igcourse,
NumPy's namespace) are recorded before it loads, restored after, and checked after every probe:
a probe during which the submission replaced any of them answers with an error instead of data.
"""

import inspect
import os
import re
import sys
import types

STUDENT_FILE = "<submission>"
PROBES_FILE = "<probes>"
MAX_MESSAGE = 300  # of str(exception): feedback shows a student's own error, briefly
MAX_FRAMES = 3


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

    def names(self):
        """Every name the code defines, as a notebook's globals() would show them."""
        return vars(self._module)

    def replace(self, name, value):
        """Give the code under test `value` for `name` (a stand-in built from data the check
        passed, say: the masks another part would compute)."""
        setattr(self._module, name, value)


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


def _student_frames(error):
    """[(line, function)] of the student's own frames, innermost last (at most MAX_FRAMES).

    Only numbers and names travel: the grader prints the lines from its own copy of the
    source, so nothing the submission planted in linecache reaches feedback."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == STUDENT_FILE:
            frames.append([tb.tb_lineno, getattr(code, "co_qualname", code.co_name)])
        tb = tb.tb_next
    return frames[-MAX_FRAMES:]


_ENGINE_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # igcourse/


def _raised_by_grader(error, frames):
    """Whether the probes' or the engine's own code raised the exception with no frame of the
    submission on the way (a library's error, or one raised in code the submission called,
    such as a stand-in, stays the submission's)."""
    if frames:
        return False
    tb, last = error.__traceback__, None
    while tb is not None:
        last, tb = tb, tb.tb_next
    if last is None:
        return False
    name = last.tb_frame.f_code.co_filename
    return name == PROBES_FILE or os.path.abspath(name).startswith(_ENGINE_FOLDER + os.sep)


def _error_kind(error):
    """The exception's type name when Python or a library defines it; the submission's own
    classes are not named (their names could carry anything)."""
    kind = type(error)
    module = getattr(kind, "__module__", "") or ""
    trusted = module == "builtins" or module.split(".")[0] in (
        "numpy",
        "tensorflow",
        "keras",
        "jax",
        "jaxlib",
        "tf_keras",
        "h5py",
        "igcourse",
    )
    return kind.__name__ if trusted else "Exception"


def _error_answer(error):
    if isinstance(error, MissingName):
        return {"ok": False, "error": "MissingName", "message": "", "missing": str(error)}
    try:
        text = _brief(str(error))
    except BaseException:  # an exception whose __str__ fails says nothing
        text = ""
    frames = _student_frames(error)
    return {
        "ok": False,
        "error": _error_kind(error),
        "message": text,
        "detail": text,
        "frames": frames,
        "by_grader": _raised_by_grader(error, frames),
    }


_ERROR_LINE = re.compile(r"[A-Za-z_][\w.]*(Error|Exception|Exit): ")
_KERAS_WRAPPER = re.compile(r"^Exception encountered when calling [\w.]+\(\)\.\s*")


def _brief(text):
    """The start of an error's text. TensorFlow wraps an error raised in a tf.function in
    "in user code:" and the frames, with the error's own words from its last "...Error:" line
    on (a Keras layer's error adds the arguments it received after them): those come first,
    so that they survive the cut."""
    if text.startswith("in user code:"):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        starts = [i for i, line in enumerate(lines) if _ERROR_LINE.match(line)]
        own = []
        for line in lines[starts[-1] if starts else -1 :]:
            if line.startswith("Arguments received by"):
                break
            own.append(line)
        own = re.sub(r"^[A-Za-z_][\w.]*: ", "", " ".join(own))  # its kind is reported apart
        own = _KERAS_WRAPPER.sub("", re.sub(r"\x1b\[[0-9;]*m", "", own))
        text = f"{own} ({text})"
    return text[:MAX_MESSAGE]


def _run_source(source, name, filename):
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
            answer = _error_answer(error)
            errors.append({k: answer.get(k) for k in ("error", "message", "frames")})
    return module, errors


class Guard:
    """The grader's modules in the worker, as they were before the submission ran: restored
    after it loads, and compared after every probe."""

    def __init__(self, modules):
        self._saved = {module: _code_of(module) for module in modules}

    def add(self, module):
        self._saved[module] = _code_of(module)

    def changed(self):
        """'module.name' of every attribute replaced or removed since recorded (names added
        since, a submodule imported later say, are not the grader's code)."""
        found = []
        for module, saved in self._saved.items():
            now = vars(module)
            for name, value in saved.items():
                if name not in ("__builtins__", "__warningregistry__") and (
                    now.get(name, _MISSING) is not value
                ):
                    found.append(f"{module.__name__}.{name}")
        return sorted(found)

    def restore(self):
        for module, saved in self._saved.items():
            now = vars(module)
            for name, value in saved.items():
                if now.get(name, _MISSING) is not value:
                    now[name] = value


_MISSING = object()


def _code_of(module):
    """The module's functions, classes and submodules: the code that judges or measures (its
    data, a language or a cache, may change as it runs)."""
    return {
        name: value
        for name, value in vars(module).items()
        if callable(value) or isinstance(value, types.ModuleType)
    }


def _grader_modules():
    """The modules whose code judges or measures in the worker: igcourse's and NumPy's."""
    import importlib
    import pkgutil

    import numpy

    import igcourse.checks
    import igcourse.grading.checks  # noqa: F401 (probes use them; loaded before the submission)
    import igcourse.grading.gradients  # noqa: F401
    import igcourse.grading.public  # noqa: F401

    for chapter in pkgutil.iter_modules(igcourse.checks.__path__):  # the public checks
        if chapter.name.startswith("ch"):
            importlib.import_module(f"igcourse.checks.{chapter.name}")

    modules = [m for n, m in list(sys.modules.items()) if n.split(".")[0] == "igcourse" and m]
    return [m for m in modules if isinstance(m, types.ModuleType)] + [numpy]


class Worker:
    """What the worker holds: the submission's source and module, the probes, the parts."""

    def __init__(self):
        self.guard = None
        self.salt = ""
        self.source = ""
        self.folder = None
        self.submission = None
        self.probes = None
        self.parts = {}

    def load(self, request):
        self.salt = request.get("salt", "")
        self.guard = Guard(_grader_modules())
        self.source, self.folder = request["source"], request.get("folder")
        module, errors = _run_source(self.source, "submission", STUDENT_FILE)
        self.guard.restore()  # whatever load-time code replaced in the grader's modules
        self.submission = Namespace(module, self.folder)
        # The probes exist only now, so the submission's load-time code never saw them.
        self.probes, _errors = _run_source(request["probes"], "probes", PROBES_FILE)
        self.guard.add(self.probes)
        defined = sorted(k for k in vars(module) if not k.startswith("__"))
        return {"defined": defined, "errors": errors}

    def namespace(self, part):
        """The code a probe of `part` runs on (None: the submission as it is)."""
        if part is None:
            return self.submission
        if part not in self.parts:
            module, _errors = _run_source(self.source, f"submission_{part}", STUDENT_FILE)
            stand_ins = getattr(self.probes, "STAND_INS", {}).get(part, {})
            for name, attribute in stand_ins.items():
                setattr(module, name, getattr(self.probes, attribute))
            self.parts[part] = Namespace(module, self.folder)
        return self.parts[part]

    def probe(self, request):
        from igcourse.grading.checks import set_salt

        set_salt(self.salt)  # the grader's, whatever the submission set
        probe = getattr(self.probes, request["probe"], None)
        namespace = self.namespace(request.get("part"))
        try:
            inspect.signature(probe).bind(namespace, *request["args"], **request["kwargs"])
        except (TypeError, ValueError) as error:  # the check's call, not the student's code
            text = f"{request['probe']}: {error}"[:MAX_MESSAGE]
            return {"ok": False, "error": "CheckError", "message": text, "detail": text}
        value = probe(namespace, *request["args"], **request["kwargs"])
        value = to_data(value)
        changed = self.guard.changed()
        if changed:
            self.guard.restore()
            names = ", ".join(changed)[:MAX_MESSAGE]
            return {"ok": False, "error": "GraderChanged", "message": names, "detail": names}
        return {"ok": True, "value": value}


def serve(requests, answers):
    from igcourse.sandbox.wire import read_frame, write_frame

    worker = Worker()
    pid = os.getpid()
    while True:
        try:
            request = read_frame(requests)
        except EOFError:
            return
        try:
            if request["op"] == "load":
                answer = {"ok": True, "value": worker.load(request)}
            else:
                answer = worker.probe(request)
        except BaseException as error:  # the student's code may raise anything, SystemExit too
            answer = _error_answer(error)
        if os.getpid() != pid:
            os._exit(0)  # a process the submission forked must not answer too
        try:
            write_frame(answers, answer)
        except Exception as error:  # a value that is not plain data
            text = str(error)[:MAX_MESSAGE]
            write_frame(answers, {"ok": False, "error": "NotData", "message": text, "detail": text})


def main():
    from igcourse.lean_imports import lean_tensorflow
    from igcourse.sandbox.isolation import die_with_parent

    die_with_parent()  # again: setpriv's change of user id (as root) cleared it
    lean_tensorflow()
    requests_fd, answers_fd = (int(fd) for fd in os.environ["IGCOURSE_SANDBOX_FDS"].split(","))
    serve(os.fdopen(requests_fd, "rb", buffering=0), os.fdopen(answers_fd, "wb", buffering=0))


if __name__ == "__main__":
    main()
