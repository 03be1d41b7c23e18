"""A submission graded in a sandbox worker: `submission.probe(part, fn, ...)` runs fn there.

The plugin's --sandbox mode gives a check this object instead of an in-process
Implementation when the code under test is a student's notebook. Its definitions are loaded
in an igcourse.sandbox worker (an allow-list fence and limits); a probe call sends the probe's
name, and the source of its probes module once, and gets plain data back. The judging stays in
the check, in the grader's process.

Nothing of the reference goes to the worker. A probe of part P runs on a fresh copy of the
student's own code in which the probes module's STAND_INS[P] (stand-ins written for the checks,
never reference code) replace the names it lists; the other parts are the student's own. The
worker's inputs are drawn with a salt that grading derives per submission (see
igcourse.grading.secret), and what the student's code raises reaches feedback only as its
exception type, a short message and the student's own lines, read from the grader's copy.
"""

import inspect
import sys
import threading
from pathlib import Path

from igcourse.grading.implementations import MissingDefinition, NotData, missing_definition
from igcourse.i18n import _
from igcourse.sandbox import ProbeFailed, Sandbox, SandboxTimeout, wire
from igcourse.sandbox.isolation import Isolation, Limits
from igcourse.sandbox.session import NoWorker, timed_out

DEFAULT_PROBE_TIMEOUT_S = 180


class StudentCodeError(Exception):
    """The submission's code raised `error` (a type name) in the worker."""

    def __init__(self, failure):
        super().__init__(failure.detail or str(failure))
        self.error = failure.error
        self.detail = failure.detail or ""
        self.function = failure.function


class GraderChanged(AssertionError):
    """The submission replaced the grader's code in the worker during a probe."""


class ProbeCodeError(Exception):
    """A probe's own code (or the engine's) raised in the worker, with no frame of the
    submission on the way: the check's error, perhaps on odd data the submission returned."""

    def __init__(self, kind, detail):
        super().__init__(f"{kind}: {detail}")


class CheckAuthoringError(TypeError):
    """A check touched the submission directly instead of through submission.probe."""


def default_isolation(root):
    """The fence for a course's workers, with course_config.py's limits
    (GradingLimits.memory_limit_mb, max_processes and output_limit_kb)."""
    from igcourse.config import load_config

    try:
        config = load_config(root).limits
        limits = Limits(
            memory_mb=config.memory_limit_mb,
            processes=config.max_processes,
            output_kb=config.output_limit_kb,
        )
    except Exception:  # noqa: BLE001 (a course without a readable config: the defaults)
        limits = Limits()
    return Isolation(limits=limits)


class SandboxedImplementation:
    """A student's notebook under test in a sandbox worker (one worker per probes module)."""

    def __init__(
        self,
        label,
        source,
        folder=None,
        isolation=None,
        timeout=None,
        salt="",
        part_time=None,
        current_part=None,
    ):
        self._label = label
        self._source = source
        self._folder = Path(folder) if folder else None
        self._isolation = isolation
        self._timeout = timeout or DEFAULT_PROBE_TIMEOUT_S
        self._salt = salt
        self._boxes = {}  # probes file -> Sandbox
        self._part_time = part_time  # seconds each part's checks may spend in the worker
        self._current_part = current_part or (lambda: None)
        self._spent = {}  # part -> seconds its probes ran
        self._early = {}  # digest of a probe request -> _EarlyProbe not asked for yet
        self._early_boxes = []  # the workers of early probes (what they printed stays there)
        self.probes_module = None  # the check file's probes module, set by the plugin

    def __repr__(self):
        return f"<SandboxedImplementation {self._label}>"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise CheckAuthoringError(
            f"a check read submission.{name}; in the sandbox a check reaches the submission "
            "only through submission.probe(part, probes.<function>, ...)"
        )

    @property
    def label(self):
        return self._label

    @property
    def folder(self):
        return self._folder

    @property
    def output(self):
        """What the submission printed, for the grader's log only (never for feedback)."""
        return "".join(box.output for box in [*self._boxes.values(), *self._early_boxes])

    def with_companions(self, reference, part_names):
        return self

    def warm_up(self, probes_path):
        """Start the worker for the probes module at probes_path now, in the background."""
        self._box_at(str(probes_path)).warm_up()

    def for_part(self, part):
        return self

    def _probe_of(self, fn):
        """(probes module, the name fn has there): the check file's probes module when fn is
        one of its attributes (a probe imported from elsewhere, `public_checks` say, runs in the
        same worker, with the same stand-ins), else fn's own module."""
        module = self.probes_module
        if module is not None:
            for name, value in vars(module).items():
                if value is fn:
                    return module, name
        return sys.modules[fn.__module__], fn.__name__

    def _box_at(self, path):
        path = str(Path(path).resolve())
        if path not in self._boxes:
            self._boxes[path] = self._new_box(path)
        return self._boxes[path]

    def _new_box(self, probes_path):
        return Sandbox(
            self._source,
            Path(probes_path).read_text(encoding="utf-8"),
            self._isolation,
            files=self._folder,
            load_options={"salt": self._salt},
        )

    def _request(self, part, fn, args, kwargs):
        """(the probes file, the probe's name there, the request's key: equal for an equal
        request)."""
        try:
            key = wire.digest([part, list(args), kwargs])
        except wire.WireError as error:
            raise CheckAuthoringError(f"arguments of {fn.__name__} are not data: {error}") from None
        module, name = self._probe_of(fn)
        path = inspect.getsourcefile(module)
        return path, name, f"{path}:{name}:{key}"

    def start_early(self, part, fn, *args, **kwargs):
        """Start probe(part, fn, *args, **kwargs) now, on a worker of its own, in the
        background; when a check asks for that probe, it takes this one's answer (waiting for
        it if need be), its seconds charged then, as if it had run there. For a probe that takes
        seconds and that a check of every submission asks for (chapter 1's handed-in model, say:
        5 CPU-s): its seconds pass while the other checks run. Another worker costs about
        3 CPU-s to start (TensorFlow's import), so a probe of a second or two is not worth it.
        The worker holds the same code, files and salt, behind the same fence, and ends with
        its probe."""
        path, name, key = self._request(part, fn, args, kwargs)
        if key in self._early:
            return
        timeout = min(self._timeout, self._part_time or self._timeout)
        extra = {"part": part} if part is not None else {}
        box = self._new_box(path)
        self._early_boxes.append(box)
        self._early[key] = _EarlyProbe(box, name, args, {**extra, **kwargs}, timeout)

    def probe(self, part, fn, *args, **kwargs):
        """fn(the code of `part` in the worker, *args, **kwargs), as plain data."""
        path, name, key = self._request(part, fn, args, kwargs)
        early = self._early.pop(key, None)
        if early is not None and not early.ran():
            early = None  # its worker never ran: the probe runs here, as it would have
        box = early.box if early is not None else self._box_at(path)
        extra = {"part": part} if part is not None else {}
        charged = self._current_part() or part
        timeout = self._timeout
        if self._part_time is not None:
            left = self._part_time - self._spent.get(charged, 0.0)
            if left <= 0:
                raise SandboxTimeout(
                    _(
                        "The code of part {part} used up its {seconds:.0f} s for all its checks, "
                        "so this check did not run. Look for a loop that does not end or work "
                        "far larger than the task needs."
                    ).format(part=charged, seconds=self._part_time)
                )
            timeout = min(timeout, left)
        before = 0.0 if early is not None else box.probe_seconds
        try:
            if early is not None:
                return early.answer(timeout)
            return box.probe(name, *args, timeout=timeout, **extra, **kwargs)
        except ProbeFailed as failure:
            if failure.missing:
                raise MissingDefinition(missing_definition(failure.missing)) from None
            if failure.error == "NotData":
                raise NotData(
                    _(
                        "Your code returned something that is not data where {probe} expected "
                        "numbers or arrays: {error}. Return tensors or NumPy arrays."
                    ).format(probe=fn.__name__, error=failure.detail or str(failure))
                ) from None
            if failure.error == "CheckError":
                raise CheckAuthoringError(failure.detail or str(failure)) from None
            if failure.error == "GraderChanged":
                raise GraderChanged(
                    _(
                        "Your code replaced part of the grader's own code while it was being "
                        "checked ({names}), so this check cannot count. Graded code must not "
                        "change other modules."
                    ).format(names=failure.detail or "")
                ) from None
            if failure.by_grader:
                raise ProbeCodeError(failure.error, failure.detail or "") from None
            raise StudentCodeError(failure) from None
        finally:
            spent = box.probe_seconds - before  # the code's own time, not the worker's start
            self._spent[charged] = self._spent.get(charged, 0.0) + spent

    def close(self):
        for box in self._boxes.values():
            box.close()
        self._boxes.clear()
        for box in self._early_boxes:  # each ends with its probe; one not asked for may run
            box.close()
        self._early_boxes.clear()
        self._early.clear()


class _EarlyProbe:
    """A probe running on a worker of its own, started before a check asks for it."""

    def __init__(self, box, name, args, kwargs, timeout):
        self.box = box
        self._outcome = {}
        # Spawned here, in the checks' thread: a worker ends with the thread that started it.
        box.warm_up()
        self._thread = threading.Thread(
            target=self._run, args=(name, args, kwargs, timeout), daemon=True
        )
        self._thread.start()

    def _run(self, name, args, kwargs, timeout):
        try:
            value = self.box.probe(name, *args, timeout=timeout, start=False, **kwargs)
            self._outcome["value"] = value
        except NoWorker:
            pass  # not started, or closed: ran() says so
        except Exception as error:  # noqa: BLE001 (raised again where a check asks for it)
            self._outcome["error"] = error
        finally:
            self.box.close()  # its memory back at once; what it printed stays

    def ran(self):
        """Whether the probe ran (its value or its error are there), once it has ended."""
        self._thread.join()
        return bool(self._outcome)

    def answer(self, time_left):
        """The probe's value (or its exception), as if it had run now with `time_left` s."""
        self._thread.join()
        if self.box.probe_seconds > time_left:
            raise timed_out(time_left)
        if "error" in self._outcome:
            raise self._outcome["error"]
        return self._outcome["value"]
