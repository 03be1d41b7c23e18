"""The sandboxed process: loads a submission, then runs probes on it, answering with data.

Started by igcourse.sandbox.session with the request pipe on fd 3 and the answer pipe on
fd 4; its stdout and stderr go to the grader, which keeps only the first few KiB.
"""

import os
import sys
import traceback
import types

STUDENT_FILE = "<submission>"
PROBES_FILE = "<probes>"
MAX_MESSAGE = 2000


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


def serve(requests, answers):
    from igcourse.sandbox.wire import read_frame, write_frame

    submission = probes = None
    pid = os.getpid()
    while True:
        try:
            request = read_frame(requests)
        except EOFError:
            return
        try:
            if request["op"] == "load":
                probes, _ = _load(request["probes"], "probes", PROBES_FILE)
                submission, errors = _load(request["source"], "submission", STUDENT_FILE)
                defined = sorted(k for k in vars(submission) if not k.startswith("__"))
                answer = {"ok": True, "value": {"defined": defined, "errors": errors}}
            else:
                probe = getattr(probes, request["probe"])
                value = probe(submission, *request["args"], **request["kwargs"])
                answer = {"ok": True, "value": to_data(value)}
        except BaseException as error:  # the student's code may raise anything, SystemExit too
            answer = {
                "ok": False,
                "error": type(error).__name__,
                "message": _student_traceback(error),
            }
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
