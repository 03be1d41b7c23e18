"""`igcourse lab`: what the server is told before it starts (the browser tests run it)."""

import io
import json
import os
import socket
import sys
from pathlib import Path

from igcourse.cli import make_parser
from igcourse.lab import LOOPBACK, announce, free_port, plan_lab


def _config(plan):
    config = plan.state / "config"
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    server = json.loads((config / "jupyter_server_config.json").read_text())
    return page["disabledExtensions"], server["ServerApp"]["jpserver_extensions"]


def test_a_student_gets_copies_of_the_release_and_keeps_their_work(repo_root, tmp_path):
    work = tmp_path / "work"
    plan = plan_lab(repo_root, work=work, port=9999, token="t")
    assert plan.notebooks == work and plan.root == repo_root
    mine = work / "ch01_pixelcnn" / "pixelcnn.ipynb"
    assert mine in plan.copied and (work / "ch01_pixelcnn" / "pixelcnn.zh.ipynb").exists()
    mine.write_text("my answers")
    again = plan_lab(repo_root, work=work, port=9999, token="t")
    assert again.copied == [] and mine.read_text() == "my answers"

    disabled, server = _config(plan)
    assert "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.validate_assignment"] is True


def test_an_instructor_gets_the_course_folder_and_formgrader(repo_root, tmp_path):
    plan = plan_lab(repo_root, instructor=True, port=9999, token="secret")
    assert plan.notebooks == repo_root and plan.copied == []
    disabled, server = _config(plan)
    assert disabled == {} and all(server.values())
    out = io.StringIO()
    announce(plan, out)
    assert "http://127.0.0.1:9999/lab?token=secret" in out.getvalue()
    assert "http://127.0.0.1:9999/formgrader?token=secret" in out.getvalue()


def test_the_server_listens_on_loopback_with_a_token_and_only_the_course_kernel(
    repo_root, tmp_path
):
    plan = plan_lab(repo_root, work=tmp_path)
    assert plan.ip == LOOPBACK and len(plan.token) >= 32
    assert f"--ServerApp.ip={LOOPBACK}" in plan.argv
    assert f"--IdentityProvider.token={plan.token}" in plan.argv
    assert f"--ServerApp.root_dir={tmp_path}" in plan.argv
    # The person's own Jupyter folders (other kernels, other extensions) are not read.
    assert plan.env["JUPYTER_CONFIG_DIR"].startswith(str(plan.state))
    assert plan.env["JUPYTER_DATA_DIR"].startswith(str(plan.state))
    assert "JUPYTER_PATH" not in plan.env
    # As if the environment were activated (nbgrader runs `alembic` for a new gradebook).
    assert plan.env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)


def test_a_busy_port_is_skipped():
    with socket.socket() as busy:
        busy.bind((LOOPBACK, 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert free_port(LOOPBACK, preferred=taken, tries=2) != taken


def test_the_command_line_has_the_lab_command():
    args = make_parser().parse_args(["lab", "--instructor", "--port", "8899"])
    assert args.instructor and args.port == 8899 and args.ip == LOOPBACK


def test_igcourse_lab_serves_on_loopback_and_stops_with_its_server(repo_root, tmp_path):
    """The command a user runs: it answers with the token only, and SIGTERM stops it all."""
    import signal
    import subprocess
    import time
    import urllib.error
    import urllib.request

    port = free_port(LOOPBACK, preferred=18888)
    igcourse = Path(sys.executable).parent / "igcourse"
    command = [str(igcourse), "lab", "--work", str(tmp_path / "work"), "--port", str(port)]
    env = dict(os.environ, IGCOURSE_ROOT=str(repo_root))
    lab = subprocess.Popen(
        [*command, "--token", "t0ken"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        printed = [lab.stdout.readline() for _ in range(3)]
        while "token=" not in printed[-1] and printed[-1]:  # after a line per copied notebook
            printed.append(lab.stdout.readline())
        assert f"http://127.0.0.1:{port}/lab?token=t0ken" in printed[-1], printed
        status = f"http://127.0.0.1:{port}/api/status"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{status}?token=t0ken", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and lab.poll() is None
                time.sleep(0.5)
        try:
            urllib.request.urlopen(status, timeout=5)
            raise AssertionError("answered without the token")
        except urllib.error.HTTPError as error:
            assert error.code == 403
    finally:
        lab.send_signal(signal.SIGTERM)
        assert lab.wait(timeout=30) == 130
    with socket.socket() as probe:  # the server is gone too, not left behind
        assert probe.connect_ex((LOOPBACK, port)) != 0
