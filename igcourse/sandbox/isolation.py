"""How the worker process is fenced in: an allow-list sandbox (bubblewrap), and resource limits.

The worker sees only what it needs, never a deny-list of what it must not see:
  - the Python environment (the interpreter's prefix and the virtual environment) and the
    student package `igcourse`, read-only, at their own paths;
  - the system's /usr (libraries, and the Debian data packages the course reads) and a few
    files of /etc that libraries read (fonts, the dynamic linker's cache), read-only;
  - its own folder /sandbox (HOME), an empty private /tmp and /dev/shm, all in memory and of
    bounded size, so nothing it writes reaches the host's disk or outlives it; the copy of the
    files handed in with its submission, read-only, at /sandbox/handed_in;
  - its own /proc (a PID namespace: other processes' command lines are not there), no network
    but a private loopback, its own user id (as root: a fresh unprivileged id per worker), and
    no capabilities. The course folder, its .git, other checkouts, the class's submissions and
    every other file of the host are simply not there.

We use Debian's bubblewrap (`bwrap`), a small, well-kept tool made for exactly this (Flatpak's
sandbox): it builds a new mount namespace from an empty root with only the listed binds, and
it runs without root where unprivileged user namespaces are on, so a self-learner's
`igcourse check --hidden` gets the same fence. As root, bwrap sets up the mounts and
`setpriv` then drops to the worker's own user id inside. Without bwrap (or where it cannot
start: a Docker container such as Gradescope's that forbids user namespaces), the resource
limits apply and, as root, the same drop: the worker runs as a user id of its own, writes only
its own folder (and what any user may write, /tmp), and reads only what any user may read, so
root-only files are out of its reach (Gradescope's run_autograder makes the checks, the
reference and the secret so). Where that user id cannot run the Python environment (it lives in
a folder only root may enter), no worker starts: `Isolation.refusal()` says why. A worker never
runs as root. `Isolation.describe()` says which fence is up.

The process tree dies as a whole: the worker's PID namespace ends when bwrap ends, bwrap ends
with the process that started it (PR_SET_PDEATHSIG), and closing a sandbox kills bwrap's
process group. Without bwrap only the worker's own process group is killed, and the worker sets
PR_SET_PDEATHSIG again, since a change of user id clears it.
"""

import ctypes
import functools
import itertools
import os
import resource
import shutil
import signal
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FIRST_WORKER_UID = 200_000  # ids above any real user's; no passwd entry is needed
INSIDE_HOME = "/sandbox"
HANDED_IN = "handed_in"  # the worker's copy of the files handed in with the submission
_worker_ids = itertools.count()
# Files of /etc that libraries read at start-up (fonts for matplotlib, the linker's cache).
ETC_FILES = (
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
)
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker."""

    memory_mb: int = 4096  # address space; TensorFlow on the CPU runs within 4 GiB
    cpu_seconds: int = 600
    processes: int = 256  # threads count too; TensorFlow starts a few per core
    file_mb: int = 64  # largest file the submission may write
    output_kb: int = 64  # stdout and stderr kept for the grader; the rest is counted, dropped
    scratch_mb: int = 256  # each of the worker's own /sandbox and /tmp (in memory)


@dataclass(frozen=True)
class Isolation:
    limits: Limits = Limits()
    readable: tuple = ()  # extra host paths the worker may read (a dataset cache, say)
    bubblewrap: bool = field(default_factory=lambda: bubblewrap_works())

    def describe(self):
        if self.bubblewrap:
            return "bubblewrap: an allow-list of read-only paths, no network, its own /proc"
        if os.geteuid() != 0:
            return (
                "resource limits only (bubblewrap is not available: the host's files are readable)"
            )
        refusal = self.refusal()
        if refusal:
            return (
                f"none: grading refuses, the worker cannot run as an unprivileged user ({refusal})"
            )
        return (
            "resource limits and a user id of its own (bubblewrap is not available: files any "
            "user may read are readable, root-only files are not)"
        )

    def refusal(self):
        """Why no worker may start here, or "": as root without bubblewrap, the worker's user
        id must be able to run the Python environment, since a worker never runs as root."""
        if self.bubblewrap or os.geteuid() != 0:
            return ""
        works, reason = unprivileged_worker_works(sys.executable, self.python_path())
        return "" if works else reason

    def inside(self, handed_in):
        """The path at which the worker sees the files handed in (its copy, read-only)."""
        return f"{INSIDE_HOME}/{HANDED_IN}" if self.bubblewrap else str(handed_in)

    def home(self, workdir):
        """The worker's HOME: its own folder."""
        return INSIDE_HOME if self.bubblewrap else str(workdir)

    def command(self, argv, workdir, handed_in):
        """The command line that starts argv inside the fence.

        workdir: the worker's folder on the host, used only without bubblewrap; handed_in: the
        host folder holding the copy of the submission's files. As root, the worker runs as a
        user id of its own (inside bwrap, which builds the mounts as root); without bwrap,
        workdir (its HOME, TMPDIR and working folder) is handed to that id, while handed_in in
        it stays root's and read-only.
        """
        drop = []
        if os.geteuid() == 0:
            uid = worker_uid()
            drop = drop_privileges(uid)
            if not self.bubblewrap:
                os.chown(workdir, uid, uid)
                os.chmod(workdir, 0o700)
        if not self.bubblewrap:
            return drop + list(argv)
        scratch = self.limits.scratch_mb * 2**20
        return bwrap_prefix(self.readable, handed_in, scratch) + drop + list(argv)

    def python_path(self):
        """PYTHONPATH for the worker: the student package's parent and the site folders."""
        return os.pathsep.join(str(p) for p in python_paths())

    def preexec(self):
        """Applied in the child before exec: limits survive bwrap and setpriv."""
        limits = self.limits

        def apply():
            os.setsid()
            die_with_parent()
            memory = limits.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            file_bytes = limits.file_mb * 2**20
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
            # Root ignores this limit; it binds once setpriv has dropped to the worker's id.
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))

        return apply


def die_with_parent():
    """The child is killed when the process that started it ends (a killed check process
    must not leave its worker running)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def worker_uid():
    """A user id for the next worker, distinct across this process's workers."""
    return FIRST_WORKER_UID + (os.getpid() * 1000 + next(_worker_ids)) % 1_000_000


def drop_privileges(uid):
    """setpriv's arguments that run the rest as uid (group uid, no other groups), with no
    capabilities, not even to pass on."""
    return [
        "setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
    ]


def package_folder():
    """The folder of the student package `igcourse` (the engine's own source)."""
    return Path(__file__).resolve().parent.parent


def python_paths():
    """Where the worker imports from: the student package's parent folder and site-packages."""
    paths = [package_folder().parent]
    paths += [Path(p) for p in site.getsitepackages() if Path(p).is_dir()]
    return paths


def readable_roots():
    """The host paths the worker may read: the Python environment and the student package."""
    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).absolute(), package_folder()}
    roots |= {Path(p).resolve() for p in site.getsitepackages() if Path(p).is_dir()}
    # The interpreter a virtual environment points at may live outside both prefixes.
    roots.add(Path(os.path.realpath(sys.executable)).parent.parent)
    # A root inside another root needs no bind of its own.
    return sorted(r for r in roots if not any(o != r and o in r.parents for o in roots))


def _parents(path):
    return [p for p in reversed(Path(path).parents) if str(p) != "/"]


def bwrap_prefix(readable, handed_in, scratch_bytes):
    """bwrap's arguments: an empty root, the allow-list, namespaces, then `--`."""
    args = [
        "bwrap",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
    ]
    for name in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink(f"/{name}"):
            args += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
        elif os.path.isdir(f"/{name}"):
            args += ["--ro-bind", f"/{name}", f"/{name}"]
    args += ["--ro-bind", "/usr", "/usr"]
    for path in ETC_FILES:
        args += ["--ro-bind-try", path, path]
    size = str(scratch_bytes)
    # Scratch space first: the environment may live under /tmp (a CI clone), bound below.
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", size, "--tmpfs", "/tmp"]
    args += ["--perms", "1777", "--size", size, "--tmpfs", "/dev/shm"]
    made = {"/usr", "/etc", "/tmp", "/dev", "/proc"}
    for root in list(readable_roots()) + [Path(p) for p in readable]:
        for parent in _parents(root):
            if str(parent) not in made and not str(parent).startswith("/usr/"):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        args += ["--ro-bind", str(root), str(root)]
    args += ["--perms", "0777", "--size", size, "--tmpfs", INSIDE_HOME]
    args += ["--ro-bind", str(handed_in), f"{INSIDE_HOME}/{HANDED_IN}"]
    args += ["--chdir", INSIDE_HOME, "--"]
    return args


@functools.lru_cache(maxsize=4)
def unprivileged_worker_works(executable, python_path):
    """(works, why not): whether a worker's user id can start the worker with this interpreter
    and these import paths (every folder on their way readable by any user), and write its own
    folder under the temporary folder, as Isolation.command starts it without bwrap as root."""
    folder = tempfile.mkdtemp(prefix="igcourse-sandbox-")
    try:
        uid = worker_uid()
        os.chown(folder, uid, uid)
        script = "import igcourse.sandbox.worker, igcourse.sandbox.wire; open('written', 'w')"
        done = subprocess.run(
            drop_privileges(uid) + [executable, "-c", script],
            cwd=folder,
            env={"PATH": "/usr/bin:/bin", "HOME": folder, "PYTHONPATH": python_path},
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return False, lines[-1] if lines else f"exit code {done.returncode}"
    return True, ""


@functools.lru_cache(maxsize=1)
def bubblewrap_works():
    """Whether bwrap is installed and can build a sandbox here (user namespaces may be off)."""
    if os.environ.get("IGCOURSE_SANDBOX_BUBBLEWRAP", "1") == "0" or not shutil.which("bwrap"):
        return False
    try:
        done = subprocess.run(
            bwrap_prefix((), "/usr", 2**20) + [sys.executable, "-c", "pass"],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
