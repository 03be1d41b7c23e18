"""The grader's side of the sandbox: start a worker, load a submission, run probes on it."""

import functools
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from igcourse.i18n import _
from igcourse.sandbox import wire
from igcourse.sandbox.isolation import HANDED_IN, Isolation

MAX_HANDED_IN_FILE_BYTES = 64 * 2**20
MAX_HANDED_IN_BYTES = 256 * 2**20


class SandboxError(Exception):
    """The submission's code could not answer; the message says why, for the student."""


class ProbeFailed(SandboxError):
    """The submission's code raised an exception (its type is `error`).

    `frames` ([line, function] of the student's own frames, innermost last) come from the
    worker; `function` and the message's lines are read from the grader's own copy of the
    source, so a submission cannot make them say anything its code does not.
    """

    def __init__(
        self, error, message, detail=None, frames=(), missing=None, source="", by_grader=False
    ):
        self.error = error if isinstance(error, str) else "Exception"
        self.by_grader = by_grader is True  # raised by the probe's own code, not the student's
        self.detail = detail if isinstance(detail, str) else None  # str(exception), cut short
        self.missing = missing if isinstance(missing, str) else None  # a name not defined
        self.frames = _checked_frames(frames, source)
        self.function = self.frames[-1][1] if self.frames else None  # deepest student frame
        super().__init__(_render(self.error, message, self.frames, source))


@functools.lru_cache(maxsize=4)  # one submission's source, parsed once for all its failures
def _defined_names(source):
    """Qualified names of the functions and classes the source defines (Outer.inner too)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    names = set()

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualified = f"{prefix}{child.name}"
                names.add(qualified)
                local = "<locals>." if not isinstance(child, ast.ClassDef) else ""
                visit(child, f"{qualified}.{local}")
            else:
                visit(child, prefix)

    visit(tree, "")
    return frozenset(names)


def _checked_frames(frames, source):
    """The frames whose line exists in the source; a function name not defined there is
    dropped (a submission can rename its code objects)."""
    lines = source.splitlines()
    known = _defined_names(source)
    checked = []
    for frame in frames if isinstance(frames, list) else []:
        if not (isinstance(frame, list) and len(frame) == 2 and isinstance(frame[0], int)):
            continue
        line, function = frame
        if 1 <= line <= len(lines):
            checked.append((line, function if function in known else None))
    return checked[-3:]


def _render(error, message, frames, source):
    """A short traceback of the student's own lines, from the grader's copy of the source."""
    lines = source.splitlines()
    text = []
    for line, function in frames:
        where = f", in {function}" if function else ""
        text.append(f"  line {line}{where}\n    {lines[line - 1].strip()[:120]}")
    detail = message if isinstance(message, str) else ""
    text.append(f"{error}: {detail}" if detail else error)
    return "\n".join(text)


class SandboxCrashed(SandboxError):
    """The worker process died (os._exit, a crash, a limit)."""


class SandboxTimeout(SandboxError):
    """A probe ran past its time limit."""


class NoWorker(Exception):
    """A probe asked not to start a worker found none running (see Sandbox.probe)."""


def timed_out(seconds):
    """The SandboxTimeout of a probe stopped after `seconds`."""
    return SandboxTimeout(
        _("Your code did not finish within {seconds:.0f} s.").format(seconds=seconds)
    )


class FenceUnavailable(SandboxError):
    """No worker was started: it cannot be fenced in here (Isolation.refusal, the `reason`,
    for the instructor); the message is for the student."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(
            _(
                "Your code was not run: the grader cannot fence it in on this machine. This is "
                "not your code's fault: tell your instructor."
            )
        )


class _Output:
    """Drains the worker's stdout and stderr, keeping only the first bytes."""

    def __init__(self, stream, keep):
        self.kept, self.dropped, self._keep = bytearray(), 0, keep
        self._stream, self._lock = stream, threading.Lock()
        self._thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self._thread.start()

    def _drain(self, stream):
        # read1: whatever the pipe holds now, so a print is kept while the worker still runs
        # (read(n) would wait for n bytes or the end of the stream).
        while chunk := stream.read1(65536):
            with self._lock:
                room = max(0, self._keep - len(self.kept))
                self.kept += chunk[:room]
                self.dropped += len(chunk) - min(room, len(chunk))

    def settle(self, timeout=2.0):
        """Wait until what the worker has written so far is taken (its writes come before
        its answers, so after an answer this holds everything it printed before it)."""
        deadline = time.monotonic() + timeout
        while self._thread.is_alive() and time.monotonic() < deadline:
            pending, _, _ = select.select([self._stream], [], [], 0)
            if not pending:
                time.sleep(0.01)  # a chunk just read is being added
                with self._lock:
                    return
            time.sleep(0.005)

    def text(self):
        with self._lock:
            text, dropped = self.kept.decode("utf-8", "replace"), self.dropped
        if dropped:
            text += _("\n[... {n} more bytes of output dropped]").format(n=dropped)
        return text


class Sandbox:
    """One worker process for one submission.

    with Sandbox(source, probes_source, isolation) as box:
        value = box.probe("masks", 3, "A", timeout=30)

    A probe that crashes the worker raises SandboxCrashed, and the next probe starts a fresh
    worker, so one broken part does not cost the others their grade. Loading that crashes or
    times out is not retried: every later probe raises the same error at once.

    `files`: a folder whose plain files (trained weights handed in next to the notebook, say)
    are copied into the worker's own folder, where probes find them as `ns.folder`; links,
    sub-folders, notebooks and files over MAX_HANDED_IN_FILE_BYTES are left out.
    """

    def __init__(
        self, source, probes_source, isolation=None, load_timeout=120, files=None, load_options=None
    ):
        self.source = source
        self.load_options = dict(load_options or {})  # more fields of the load request
        self.probes_source = probes_source
        self.isolation = isolation or Isolation()
        self.load_timeout = load_timeout
        self.files = files
        self.defined = []  # names the submission defines
        self.load_errors = []  # what failed while its definitions ran
        self._process = None
        self._killing = threading.Lock()
        self._workdir = None
        self._load_failure = None
        self._warming = None
        self._outputs = []  # one per worker started, since a crash starts a new one
        self._served = 0  # probes asked of the current worker
        self.probe_seconds = 0.0  # the submission's code's time in probes, all workers

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------------- process
    def _start(self):
        self._spawn()
        self._load()

    def _spawn(self):
        """Start the worker process (in the calling thread: the worker dies with that thread's
        process, and PR_SET_PDEATHSIG ties it to the thread that forked it)."""
        refusal = self.isolation.refusal()
        if refusal:
            raise FenceUnavailable(refusal)
        # Private (0700) on the host; the worker sees only handed_in, read-only.
        self._workdir = tempfile.mkdtemp(prefix="igcourse-sandbox-")
        handed_in = self._copy_files()
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        argv = [sys.executable, "-m", "igcourse.sandbox.worker"]
        home = self.isolation.home(self._workdir)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": home,
            "TMPDIR": "/tmp" if self.isolation.bubblewrap else home,
            "KERAS_HOME": os.path.join(home, ".keras"),
            "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
            "MPLBACKEND": "Agg",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": self.isolation.python_path(),
            "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "tensorflow"),
            "IGCOURSE_LANG": os.environ.get("IGCOURSE_LANG", "en"),  # the public checks' words
            "IGCOURSE_SANDBOX_FDS": f"{requests_read},{answers_write}",
        }
        self._process = subprocess.Popen(
            self.isolation.command(argv, self._workdir, handed_in),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=self._workdir,
            env=env,
            pass_fds=(requests_read, answers_write),
            preexec_fn=self.isolation.preexec(),
        )
        os.close(requests_read)
        os.close(answers_write)
        self._requests = os.fdopen(requests_write, "wb", buffering=0)
        self._answers = os.fdopen(answers_read, "rb", buffering=0)
        self._outputs.append(_Output(self._process.stdout, self.isolation.limits.output_kb * 1024))
        self._folder_inside = self.isolation.inside(handed_in)

    def _load(self):
        request = {"op": "load", "source": self.source, "probes": self.probes_source}
        if self.files is not None:
            request["folder"] = self._folder_inside
        request.update(self.load_options)
        try:
            answer = self._ask(request, self.load_timeout)
        except (SandboxCrashed, SandboxTimeout) as error:
            self._load_failure = error
            raise
        self.defined = answer["defined"]
        # What failed while its definitions ran, as the student reads it.
        self.load_errors = [
            str(
                ProbeFailed(
                    e.get("error"), e.get("message"), frames=e.get("frames"), source=self.source
                )
            )
            for e in answer["errors"]
            if isinstance(e, dict)
        ]

    def _copy_files(self):
        """The submission's plain files into the worker's folder, within the size limits;
        returns that folder (readable by the worker's user, which only reads it)."""
        target = os.path.join(self._workdir, HANDED_IN)
        os.mkdir(target)
        os.chmod(self._workdir, 0o711)
        os.chmod(target, 0o755)
        if not self.files or not os.path.isdir(self.files):
            return target
        total = 0
        for entry in sorted(os.scandir(self.files), key=lambda e: e.name):
            if not entry.is_file(follow_symlinks=False) or entry.name.endswith(".ipynb"):
                continue
            size = entry.stat(follow_symlinks=False).st_size
            if size > MAX_HANDED_IN_FILE_BYTES or total + size > MAX_HANDED_IN_BYTES:
                continue
            total += size
            copy = os.path.join(target, entry.name)
            shutil.copyfile(entry.path, copy, follow_symlinks=False)
            os.chmod(copy, 0o644)
        return target

    def _kill(self):
        with self._killing:  # an early probe's thread and the checks' may both end a worker
            process, self._process = self._process, None
            if process is None:
                return
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
            for stream in (self._requests, self._answers):
                stream.close()
            shutil.rmtree(self._workdir, ignore_errors=True)

    def _exit_code(self):
        """The worker's exit code once it has ended (it closed its pipe), or None."""
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # alive, yet its pipe is closed: it is stopped
            return None

    def warm_up(self):
        """Start the worker and load the submission in the background (while the grader
        imports its own libraries, say); the first probe waits for it."""
        if self._warming is None and self._process is None and self._load_failure is None:
            try:
                self._spawn()
            except Exception:  # noqa: BLE001 (the first probe starts it again and reports)
                self._kill()
                return
            self._warming = threading.Thread(target=self._warm, daemon=True)
            self._warming.start()

    def _warm(self):
        try:
            self._load()
        except Exception:  # noqa: BLE001 (a load failure is sticky; anything else: probe retries)
            self._kill()

    def _wait_for_warm_up(self):
        if self._warming is not None:
            self._warming.join()
            self._warming = None

    def close(self):
        self._wait_for_warm_up()
        self._kill()

    @property
    def output(self):
        """What the submission printed (the first bytes of it)."""
        if self._outputs:
            self._outputs[-1].settle()
        return "".join(output.text() for output in self._outputs)

    # ---------------------------------------------------------------- requests
    def _ask(self, request, timeout):
        result = {}

        def exchange():
            try:
                wire.write_frame(self._requests, request)
                result["answer"] = wire.read_frame(self._answers)
            except (EOFError, OSError, ValueError) as error:
                # wire.WireError (a ValueError): a forged frame; OSError and ValueError: the
                # pipes closed under it (the worker ended by close(), from another thread).
                result["error"] = error

        thread = threading.Thread(target=exchange, daemon=True)
        started = time.monotonic()
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            self._kill()
            raise timed_out(timeout)
        if "error" in result:
            if isinstance(result["error"], wire.WireError):  # a frame the worker forged
                self._kill()
                raise SandboxCrashed(
                    _("Your code wrote to the grader's channel something that is not an answer.")
                )
            code = self._exit_code()
            self._kill()
            raise SandboxCrashed(_describe_exit(code, time.monotonic() - started))
        answer = result["answer"]
        if not isinstance(answer, dict) or "ok" not in answer:
            raise SandboxCrashed(_("Your code wrote something that is not an answer."))
        if not answer["ok"]:
            raise ProbeFailed(
                answer.get("error", "Exception"),
                answer.get("message", ""),
                detail=answer.get("detail"),
                frames=answer.get("frames", ()),
                missing=answer.get("missing"),
                source=self.source,
                by_grader=answer.get("by_grader", False),
            )
        return answer.get("value")

    def probe(self, name, *args, timeout=60, part=None, start=True, **kwargs):
        """Run the probe `name` on the submission and return its data.

        With `part`, the probe runs on a copy of the submission's code built for that part
        (with the probes module's STAND_INS for it). A probe that crashes a worker which had
        served others runs again on a fresh one before it counts as the submission's crash.
        With start=False it runs only on the worker that warm_up started (a thread other than
        the one that started it must not start one: see _spawn): when there is none (any
        more), it raises NoWorker.
        """
        self._wait_for_warm_up()
        if self._load_failure is not None:
            raise self._load_failure
        request = {"op": "probe", "probe": name, "args": list(args), "kwargs": kwargs}
        if part is not None:
            request["part"] = part
        fresh = self._ensure_started(start)
        try:
            return self._timed_ask(request, timeout)
        except SandboxCrashed:
            if fresh:
                raise
            # A worker that served other probes may have died of what they left behind (the
            # memory another part holds): the probe is charged only if a fresh worker dies too.
            self._ensure_started()
            return self._timed_ask(request, timeout)

    def _timed_ask(self, request, timeout):
        """_ask, adding the seconds the submission's code ran to probe_seconds (starting and
        loading a worker are not the probe's)."""
        started = time.monotonic()
        try:
            return self._ask(request, timeout)
        finally:
            self.probe_seconds += time.monotonic() - started

    def _ensure_started(self, start=True):
        """Start a worker if none runs (or raise NoWorker, with start=False); True when this
        probe is the worker's first."""
        with self._killing:
            process = self._process
            running = process is not None and process.poll() is None
        if not running:
            if not start:
                raise NoWorker()
            self._kill()
            self._start()
            self._served = 0
        self._served += 1
        return self._served == 1


def _describe_exit(code, seconds):
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        if name in ("SIGKILL", "SIGXCPU"):
            return _(
                "Your code was stopped by a limit ({signal}) after {seconds:.0f} s: it used "
                "too much memory or time."
            ).format(signal=name, seconds=seconds)
        return _("Your code crashed the process ({signal}).").format(signal=name)
    return _(
        "Your code ended the process (exit code {code}); do not call exit() or "
        "os._exit() in graded code."
    ).format(code=code)
