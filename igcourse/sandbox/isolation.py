"""How the worker process is fenced in: resource limits always, namespaces when root.

As root (a grading server), the worker starts in new mount, network and PID namespaces
(util-linux `unshare`): no network but loopback, the course's hidden folders covered by empty
tmpfs mounts, and every process it forks dies with it; then it drops to an unprivileged user
id of its own (`setpriv`), so that two workers cannot read each other's private folder and
the process limit counts one worker's processes only. (/tmp is not replaced: the course and
its virtual environment may live there, as in a CI clone.) Without root (a student's
laptop), only the resource limits apply, and `Isolation.describe()` says so.
"""

import itertools
import os
import resource
import shlex
import shutil
from dataclasses import dataclass, field

FIRST_WORKER_UID = 200_000  # ids above any real user's; no passwd entry is needed
_worker_ids = itertools.count()
HIDDEN_FOLDERS = ("autograder", "solutions", "source")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker."""

    memory_mb: int = 4096  # address space; TensorFlow on the CPU runs within 4 GiB
    cpu_seconds: int = 600
    processes: int = 256  # threads count too; TensorFlow starts a few per core
    file_mb: int = 64  # largest file the submission may write
    output_kb: int = 64  # stdout and stderr kept for the grader; the rest is counted, dropped


@dataclass(frozen=True)
class Isolation:
    limits: Limits = Limits()
    hidden: tuple = ()  # absolute paths the worker must not see
    namespaces: bool = field(default_factory=lambda: can_use_namespaces())

    def describe(self):
        if self.namespaces:
            return "namespaces (no network, hidden checks covered), a user id of its own"
        return "resource limits only (not root: hidden files stay readable)"

    def command(self, argv, workdir):
        """The command line that starts argv inside the fence, working in workdir."""
        if not self.namespaces:
            return argv
        uid = worker_uid()
        mounts = ["mount --make-rprivate /"]
        mounts += [f"mount -t tmpfs -o mode=000 none {shlex.quote(p)}" for p in self.hidden]
        mounts.append(f"chown {uid}:{uid} {shlex.quote(workdir)} && cd {shlex.quote(workdir)}")
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
        # Not exec: the worker must not be PID 1, which no signal of its own can end.
        script = " && ".join(mounts) + " && " + shlex.join(drop + list(argv))
        return [
            "unshare",
            "--mount",
            "--net",
            "--pid",
            "--fork",
            "--kill-child",
            "sh",
            "-c",
            script,
        ]

    def preexec(self):
        """Applied in the child before exec: limits survive unshare and setpriv."""
        limits = self.limits

        def apply():
            os.setsid()
            memory = limits.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            file_bytes = limits.file_mb * 2**20
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
            # Root ignores this limit; it binds once setpriv has dropped to nobody.
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))

        return apply


def worker_uid():
    """A user id for the next worker, distinct across this process's workers."""
    return FIRST_WORKER_UID + (os.getpid() * 1000 + next(_worker_ids)) % 1_000_000


def can_use_namespaces():
    if os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("setpriv")):
        return False
    return os.environ.get("IGCOURSE_SANDBOX_NAMESPACES", "1") != "0"
