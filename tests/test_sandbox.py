"""Does a hostile or broken submission get a correct report for every part it did not break?

Each test runs real submission code in a real worker process. With bubblewrap, the worker sees
an allow-list of paths, its own /proc, /tmp and /dev/shm, and no network (the tests of the fence
are skipped where bubblewrap cannot run); as root it also runs as a user id of its own. Without
bubblewrap (IGCOURSE_SANDBOX_BUBBLEWRAP=0 here, a container that forbids user namespaces on
Gradescope), root's worker still runs as a user id of its own (those tests need root).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from igcourse.sandbox import FenceUnavailable, ProbeFailed, Sandbox, SandboxCrashed, SandboxTimeout
from igcourse.sandbox.isolation import (
    FIRST_WORKER_UID,
    HANDED_IN,
    Isolation,
    Limits,
    bubblewrap_works,
    readable_roots,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="a user id of its own needs root")

PROBES = """
def call(ns, name, *args):
    return getattr(ns, name)(*args)

def read(ns, path):
    with open(path) as f:
        return f.read()

def write(ns, path):
    with open(path, "w") as f:
        f.write("score = 100")
    return "written"

def connect(ns, port):
    import socket
    socket.create_connection(("127.0.0.1", port), timeout=2)
    return "connected"

def uid(ns):
    return os.getuid()

def call_os(ns, name, *args):
    return getattr(os, name)(*args)

import os
"""

GOOD = "import numpy as np\ndef add(a, b):\n    return np.asarray(a) + b\n"


def sandbox(extra, **kwargs):
    isolation = Isolation(limits=Limits(memory_mb=3072, cpu_seconds=60))
    return Sandbox(GOOD + extra, PROBES, isolation, **kwargs)


def assert_still_graded(box):
    assert box.probe("call", "add", [1, 2], 1).tolist() == [2, 3]


@pytest.fixture(scope="module")
def box():
    """One worker for the tests that leave it usable, to keep the suite fast."""
    code = """
def boom():
    raise ValueError("shapes (3,) and (4,) do not match")

def liar():
    class AlwaysEqual:
        def __eq__(self, other):
            return True
    return AlwaysEqual()

def not_a_number():
    return np.array([float("nan"), 1.0])

def wrong_dtype():
    return np.array(["a", "b"])

def flood():
    for _ in range(200_000):
        print("spam spam spam spam spam spam spam spam spam")
    return 1

def hog_memory():
    return len(bytearray(16 * 2**30))

def patch_numpy():
    np.allclose = lambda *a, **k: True
    np.testing.assert_allclose = lambda *a, **k: None
    return 0

def fork():
    import os
    if os.fork() == 0:
        return "child"
    return "parent"
"""
    with sandbox(code) as worker:
        yield worker


def test_a_good_function_returns_data(box):
    assert_still_graded(box)


def test_an_exception_reports_the_students_own_line(box):
    with pytest.raises(ProbeFailed) as error:
        box.probe("call", "boom")
    assert error.value.error == "ValueError"
    assert "shapes (3,) and (4,) do not match" in str(error.value)
    assert "line 6, in boom" in str(error.value)
    assert_still_graded(box)


def test_an_object_that_pretends_to_be_equal_never_reaches_the_grader(box):
    with pytest.raises(ProbeFailed, match="AlwaysEqual came back where data"):
        box.probe("call", "liar")


def test_nan_comes_back_as_data_for_the_checks_to_judge(box):
    value = box.probe("call", "not_a_number")
    assert np.isnan(value[0]) and value.dtype == np.float64


def test_string_arrays_are_refused(box):
    with pytest.raises(ProbeFailed, match="came back where data"):
        box.probe("call", "wrong_dtype")


def test_flooding_output_keeps_only_the_first_bytes(box):
    assert box.probe("call", "flood", timeout=60) == 1
    assert len(box.output) < 70_000 and "more bytes of output dropped" in box.output
    assert_still_graded(box)


def test_filling_memory_hits_the_limit_not_the_machine(box):
    with pytest.raises((ProbeFailed, SandboxCrashed)):
        box.probe("call", "hog_memory")
    assert_still_graded(box)


def test_monkeypatching_numpy_in_the_worker_voids_the_probe_not_the_graders_numpy(box):
    with pytest.raises(ProbeFailed) as error:
        box.probe("call", "patch_numpy")
    assert error.value.error == "GraderChanged" and "numpy.allclose" in error.value.detail
    assert not np.allclose([1.0], [2.0])
    assert_still_graded(box)


def test_a_forked_child_does_not_answer(box):
    assert box.probe("call", "fork") == "parent"
    assert_still_graded(box)


def test_an_infinite_loop_times_out_and_the_next_part_is_still_graded():
    with sandbox("def spin():\n    while True:\n        pass\n") as worker:
        with pytest.raises(SandboxTimeout, match="did not finish within 2 s"):
            worker.probe("call", "spin", timeout=2)
        assert_still_graded(worker)


@pytest.mark.parametrize("how", ["os._exit(3)", "sys.exit(1)", "os.kill(os.getpid(), 9)"])
def test_ending_the_process_costs_only_that_part(how):
    code = f"import os, sys\ndef leave():\n    {how}\n"
    with sandbox(code) as worker:
        with pytest.raises((SandboxCrashed, ProbeFailed)):
            worker.probe("call", "leave")
        assert_still_graded(worker)


def test_code_that_fails_at_import_still_gets_its_other_definitions_graded():
    code = "import not_a_real_module\nraise SystemExit('bye')\n"
    with sandbox(code) as worker:
        assert_still_graded(worker)
        assert len(worker.load_errors) == 2
        assert "not_a_real_module" in worker.load_errors[0]


def test_exiting_at_import_crashes_every_probe_with_a_clear_message():
    with sandbox("import os\nos._exit(0)\n") as worker:
        with pytest.raises(SandboxCrashed, match="exit code 0"):
            worker.probe("call", "add", 1, 2)


FENCED = pytest.mark.skipif(
    not Isolation().bubblewrap, reason="the allow-list needs bubblewrap (Debian: bubblewrap)"
)


@FENCED
def test_the_course_folder_holds_only_the_student_package_and_its_environment():
    with sandbox("") as worker:
        seen = worker.probe("call_os", "listdir", ROOT)
        for secret in ("autograder", "solutions", "source", ".git", "course_config.py"):
            with pytest.raises(ProbeFailed, match="No such file"):
                worker.probe("read", os.path.join(ROOT, secret, "README.md"))
    assert "igcourse" in seen and not {"autograder", "solutions", "source", ".git"} & set(seen)


def _bound_under(folder):
    """What a worker's empty /tmp shows when the environment itself lives there (a CI clone in
    /tmp): only the first folder on the way to each bound path, read-only."""
    names = set()
    for root in readable_roots():
        if Path(folder) in root.parents:
            names.add(root.relative_to(folder).parts[0])
    return sorted(names)


@FENCED
def test_files_elsewhere_on_the_host_are_not_there(tmp_path):
    planted = tmp_path / "grading-demo" / "reference.ipynb"
    planted.parent.mkdir()
    planted.write_text("the reference answers")
    with sandbox("") as worker:
        with pytest.raises(ProbeFailed, match="No such file"):
            worker.probe("read", str(planted))
        assert sorted(worker.probe("call_os", "listdir", "/tmp")) == _bound_under("/tmp")
        assert worker.probe("call_os", "listdir", "/dev/shm") == []


@FENCED
def test_other_processes_and_their_command_lines_are_not_visible():
    with sandbox("") as worker:
        pids = [name for name in worker.probe("call_os", "listdir", "/proc") if name.isdigit()]
        with pytest.raises(ProbeFailed, match="No such file"):
            worker.probe("read", f"/proc/{os.getpid()}/cmdline")
    assert len(pids) <= 4  # bwrap's reaper, the worker, and what it runs now


@FENCED
def test_tmp_and_shared_memory_are_private_to_each_worker():
    with sandbox("") as first:
        assert first.probe("write", "/tmp/planted") == "written"
        assert first.probe("write", "/dev/shm/planted") == "written"
    with sandbox("") as second:
        assert sorted(second.probe("call_os", "listdir", "/tmp")) == _bound_under("/tmp")
        assert second.probe("call_os", "listdir", "/dev/shm") == []
    assert not os.path.exists("/tmp/planted") and not os.path.exists("/dev/shm/planted")


@FENCED
def test_the_course_files_cannot_be_written():
    with sandbox("") as worker:
        with pytest.raises(ProbeFailed, match="Read-only|No such file|Permission denied"):
            worker.probe("write", os.path.join(ROOT, "igcourse", "forged.py"))
    assert not os.path.exists(os.path.join(ROOT, "igcourse", "forged.py"))


@FENCED
def test_there_is_no_network_not_even_loopback_services():
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        with sandbox("") as worker:
            with pytest.raises(ProbeFailed, match="Connection refused|unreachable"):
                worker.probe("connect", server.getsockname()[1])
    finally:
        server.close()


@AS_ROOT
@FENCED
def test_the_submission_runs_as_an_unprivileged_user_of_its_own():
    with sandbox("") as first, sandbox("") as second:
        uids = first.probe("uid"), second.probe("uid")
    assert min(uids) >= FIRST_WORKER_UID and uids[0] != uids[1]


@FENCED
def test_a_worker_cannot_read_another_workers_folder():
    with sandbox("") as first, sandbox("") as second:
        assert first.probe("write", "/sandbox/mine") == "written"
        with pytest.raises(ProbeFailed, match="No such file"):
            second.probe("read", os.path.join(first._workdir, "mine"))
        with pytest.raises(ProbeFailed, match="No such file"):
            second.probe("read", "/sandbox/mine")


def _running(marker):
    """Host processes whose command line holds marker."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


LINGER = """
import subprocess, sys
def linger(marker):
    # A grandchild in a session of its own, as code that tries to outlive its grading would.
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", marker],
                     start_new_session=True)
    return "started"
"""


def _wait_until_running(marker, seconds=10):
    """The grandchild's pids once its command line shows in /proc (on a busy machine that can
    lag behind the worker's answer: a CI run beside two proof runs found none at once)."""
    import time

    deadline = time.monotonic() + seconds
    while not _running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _running(marker)


def _wait_until_gone(marker, seconds=30):
    import time

    deadline = time.monotonic() + seconds
    while _running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _running(marker)


@FENCED
def test_the_whole_process_tree_ends_with_the_sandbox():
    marker = f"igcourse-linger-{os.getpid()}-tree"
    with sandbox(LINGER) as worker:
        assert worker.probe("call", "linger", marker) == "started"
        assert _wait_until_running(marker)
    assert _wait_until_gone(marker) == []


@FENCED
def test_a_killed_grader_leaves_no_worker_behind(tmp_path):
    import signal
    import subprocess
    import sys

    marker = f"igcourse-linger-{os.getpid()}-orphan"
    script = tmp_path / "grader.py"
    script.write_text(
        "import sys, time\n"
        "from igcourse.sandbox import Sandbox\n"
        f"box = Sandbox({(GOOD + LINGER)!r}, {PROBES!r})\n"
        f"print(box.probe('call', 'linger', {marker!r}), flush=True)\n"
        "time.sleep(600)\n"
    )
    grader = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert grader.stdout.readline().strip() == "started"
        assert _wait_until_running(marker)
        grader.send_signal(signal.SIGKILL)
        grader.wait()
        assert _wait_until_gone(marker) == []
    finally:
        grader.kill()


# ---------------------------------------------------------------- without bubblewrap, as root

UNFENCED_AS_ROOT = pytest.mark.skipif(
    os.geteuid() != 0, reason="without bubblewrap, only root can run a worker as a user of its own"
)


@pytest.fixture
def unfenced(monkeypatch):
    """The fence where bubblewrap cannot start: resource limits and, as root, a user of its own."""
    monkeypatch.setenv("IGCOURSE_SANDBOX_BUBBLEWRAP", "0")
    bubblewrap_works.cache_clear()
    try:
        isolation = Isolation(limits=Limits(memory_mb=3072, cpu_seconds=60))
        assert not isolation.bubblewrap
        refusal = isolation.refusal()
        if refusal:
            pytest.skip(f"an unprivileged user cannot run this Python environment: {refusal}")
        yield isolation
    finally:
        bubblewrap_works.cache_clear()  # computed again, with bubblewrap, when next asked


@pytest.fixture
def host_folder():
    """A folder any user may enter, as Gradescope's /autograder/source: a root-only file (the
    grading secret, run_autograder makes it so) and a folder only root may write."""
    folder = Path(tempfile.mkdtemp(prefix="igcourse-host-"))
    try:
        folder.chmod(0o755)
        secret = folder / "grading-secret"
        secret.write_text("the secret")
        secret.chmod(0o600)
        (folder / "results").mkdir()
        (folder / "results").chmod(0o755)
        yield folder
    finally:
        shutil.rmtree(folder)


@UNFENCED_AS_ROOT
def test_without_bubblewrap_roots_worker_runs_as_a_user_of_its_own_without_capabilities(unfenced):
    with Sandbox(GOOD, PROBES, unfenced) as first, Sandbox(GOOD, PROBES, unfenced) as second:
        uids = first.probe("uid"), second.probe("uid")
        groups = first.probe("call_os", "getgroups")
        status = first.probe("read", "/proc/self/status")
    assert min(uids) >= FIRST_WORKER_UID and uids[0] != uids[1] and groups == []
    capabilities = [line.split()[1] for line in status.splitlines() if line.startswith("Cap")]
    assert len(capabilities) == 5 and all(int(mask, 16) == 0 for mask in capabilities)


@UNFENCED_AS_ROOT
def test_without_bubblewrap_root_only_files_cannot_be_read(unfenced, host_folder):
    with Sandbox(GOOD, PROBES, unfenced) as worker:
        with pytest.raises(ProbeFailed, match="Permission denied"):
            worker.probe("read", str(host_folder / "grading-secret"))
        assert_still_graded(worker)


@UNFENCED_AS_ROOT
def test_without_bubblewrap_the_worker_writes_only_its_own_folder(unfenced, host_folder):
    forged = host_folder / "results" / "results.json"
    with Sandbox(GOOD, PROBES, unfenced) as first, Sandbox(GOOD, PROBES, unfenced) as second:
        assert_still_graded(first)  # its worker, and so its folder, exists from here on
        mine = os.path.join(first._workdir, "mine")
        assert first.probe("write", mine) == "written"
        for path in (
            forged,  # a folder only root may write
            os.path.join(ROOT, "igcourse", "forged.py"),  # the engine
            os.path.join(first._workdir, HANDED_IN, "forged"),  # its copy of the handed-in files
        ):
            with pytest.raises(ProbeFailed, match="Permission denied"):
                first.probe("write", str(path))
        with pytest.raises(ProbeFailed, match="Permission denied"):
            second.probe("read", mine)  # another worker's folder
    assert not forged.exists() and not os.path.exists(os.path.join(ROOT, "igcourse", "forged.py"))


SCRATCH = """
def scratch():
    import os, tempfile
    with tempfile.NamedTemporaryFile() as f:  # in TMPDIR, its own folder
        f.write(b"x")
    os.makedirs(os.environ["KERAS_HOME"], exist_ok=True)
    return "written"
"""


@UNFENCED_AS_ROOT
def test_without_bubblewrap_a_correct_submission_still_grades(unfenced, tmp_path):
    (tmp_path / "answer.txt").write_text("42\n")
    with Sandbox(GOOD + SCRATCH, PROBES, unfenced, files=tmp_path) as worker:
        assert worker.load_errors == []
        assert_still_graded(worker)
        assert worker.probe("read", f"{worker._folder_inside}/answer.txt") == "42\n"
        assert worker.probe("call", "scratch") == "written"


@UNFENCED_AS_ROOT
def test_without_bubblewrap_a_worker_its_user_cannot_run_is_not_started_as_root(
    unfenced, monkeypatch, tmp_path
):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert "no-such-python" in unfenced.refusal() and unfenced.describe().startswith("none")
    with Sandbox(GOOD, PROBES, unfenced) as worker:
        with pytest.raises(FenceUnavailable, match="not your code's fault") as error:
            worker.probe("call", "add", [1, 2], 1)
        assert worker._workdir is None  # nothing was made for it
    assert "no-such-python" in error.value.reason


def _alive(pid):
    """Whether the process runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


SPIN = """
def spin(marker):
    open(marker, "w").close()
    while True:
        pass
"""


@UNFENCED_AS_ROOT
def test_without_bubblewrap_a_killed_grader_leaves_no_worker_running(unfenced, tmp_path):
    import signal
    import subprocess
    import time

    marker = f"/tmp/igcourse-spin-{os.getpid()}"  # the worker may write /tmp
    script = tmp_path / "grader.py"
    script.write_text(
        "from igcourse.sandbox import Sandbox\n"
        f"box = Sandbox({(GOOD + SPIN)!r}, {PROBES!r})\n"
        "print(box.probe('call_os', 'getpid'), flush=True)\n"
        f"box.probe('call', 'spin', {marker!r}, timeout=600)\n"
    )
    grader = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(grader.stdout.readline())
        deadline = time.monotonic() + 30
        while not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.path.exists(marker)  # it spins now, past the point where it reads requests
        grader.send_signal(signal.SIGKILL)
        grader.wait()
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker)
    finally:
        grader.kill()
        if os.path.exists(marker):
            os.remove(marker)


def test_the_output_kept_follows_the_limit():
    code = "def flood():\n    print('x' * 100_000)\n    return 1\n"
    isolation = Isolation(limits=Limits(cpu_seconds=60, output_kb=4))
    with Sandbox(GOOD + code, PROBES, isolation) as box:
        assert box.probe("call", "flood", timeout=60) == 1
        assert len(box.output) < 4096 + 200 and "more bytes of output dropped" in box.output


def test_what_a_probe_printed_is_in_the_output_as_soon_as_it_answers():
    code = "def chatty():\n    print('step 1 of 3 done')\n    return 1\n"
    with sandbox(code) as box:
        assert box.probe("call", "chatty", timeout=60) == 1
        assert "step 1 of 3 done" in box.output  # the worker still runs


SMUGGLER = """
import linecache, sys
class SECRET_IN_THE_NAME(Exception):
    pass
def renamed():
    raise ValueError("short")
NAME = "SECRET_AS_A_NAME"
renamed.__code__ = renamed.__code__.replace(co_name=NAME, co_qualname=NAME)
def planted():
    linecache.cache["<submission>"] = (1, None, ["SECRET_IN_THE_SOURCE\\n"] * 500, "<submission>")
    raise ValueError("short")
def own_class():
    raise SECRET_IN_THE_NAME("short")
def long_message():
    raise ValueError("x" * 5000)
"""


@pytest.mark.parametrize("name", ["renamed", "planted", "own_class", "long_message"])
def test_what_an_error_shows_is_read_from_the_graders_copy_and_kept_short(box, name):
    with sandbox(SMUGGLER) as worker:
        with pytest.raises(ProbeFailed) as error:
            worker.probe("call", name)
    text = str(error.value)
    # The student's own source lines may show; nothing else they control does.
    assert "SECRET_AS_A_NAME" not in text and "SECRET_IN_THE_SOURCE" not in text
    assert len(text) < 700
    assert text.splitlines()[-1].split(":")[0] in ("ValueError", "Exception")


PATCHER = """
import igcourse.grading.gradients as gradients
gradients.measure_dependencies = lambda *a, **k: "forged at load"
def patch_later():
    import igcourse.grading.checks as checks
    checks.seeded_rng = lambda label: None
    return 1
"""

PATCH_PROBES = (
    PROBES
    + """
from igcourse.grading.gradients import measure_dependencies

def helper_is_real(ns):
    return measure_dependencies.__module__ == "igcourse.grading.gradients"
"""
)


def test_load_time_code_cannot_replace_the_graders_helpers_and_later_changes_void_the_probe():
    from igcourse.grading.sandboxed import GraderChanged  # noqa: F401 (the grader's exception)

    isolation = Isolation(limits=Limits(cpu_seconds=60))
    with Sandbox(GOOD + PATCHER, PATCH_PROBES, isolation) as worker:
        assert worker.probe("helper_is_real") is True
        with pytest.raises(ProbeFailed) as error:
            worker.probe("call", "patch_later")
        assert error.value.error == "GraderChanged"
        assert "igcourse.grading.checks.seeded_rng" in error.value.detail
        assert worker.probe("helper_is_real") is True
        assert_still_graded(worker)


def test_the_grading_salt_survives_a_submission_that_resets_it():
    from igcourse.grading import checks

    code = "import igcourse.grading.checks as c\nc.set_salt('known')\n"
    probes = PROBES + (
        "\ndef draw(ns):\n    from igcourse.grading.checks import seeded_rng\n"
        "    return int(seeded_rng('x').integers(0, 2**31))\n"
    )
    with Sandbox(GOOD + code, probes, load_options={"salt": "secret"}) as box:
        drawn = box.probe("draw")
    try:
        checks.set_salt("secret")
        expected = int(checks.seeded_rng("x").integers(0, 2**31))
    finally:
        checks.set_salt("")
    assert drawn == expected


def test_a_probe_called_with_the_wrong_arguments_is_the_checks_fault_not_the_students(box):
    with pytest.raises(ProbeFailed) as error:
        box.probe("uid", "an argument uid does not take")
    assert error.value.error == "CheckError" and "uid" in error.value.detail
    with pytest.raises(ProbeFailed) as error:
        box.probe("no_such_probe")
    assert error.value.error == "CheckError"
    assert_still_graded(box)
