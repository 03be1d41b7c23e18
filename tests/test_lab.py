"""`igcourse lab`: what the server is told before it starts (the browser tests run it)."""

import io
import json
import os
import shutil
import socket
import sys
from pathlib import Path

from igcourse.cli import make_parser
from igcourse.lab import LAB_LOCALES, LOOPBACK, TRANSLATION_PLUGIN, announce, free_port, plan_lab


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


def chinese_course(repo_root, folder):
    """The course's config, with its messages in Chinese (and no notebooks)."""
    folder.mkdir(parents=True)
    shutil.copyfile(repo_root / "course_config.py", folder / "course_config.py")
    with open(folder / "course_config.py", "a") as config:
        config.write('\nc.Course.message_language = "zh"\n')
    return folder


def _lab_defaults(plan):
    """The course's defaults for JupyterLab's settings (jupyterlab_server reads this file)."""
    path = plan.state / "config" / "labconfig" / "default_setting_overrides.json"
    return json.loads(path.read_text())


def _jupyterlab_locale(plan):
    return _lab_defaults(plan)[TRANSLATION_PLUGIN]["locale"]


def test_jupyterlab_speaks_the_language_of_the_course(repo_root, tmp_path, monkeypatch):
    """Course.message_language picks JupyterLab's locale; IGCOURSE_LANG and --lang override it."""
    monkeypatch.delenv("IGCOURSE_LANG", raising=False)
    course = chinese_course(repo_root, tmp_path / "course")

    def plan(root, **options):
        return plan_lab(root, work=tmp_path / "work", state=tmp_path / "state", port=1, **options)

    english = plan(repo_root)
    assert english.language == "en" and _jupyterlab_locale(english) == "en"
    # Defaults, so what the person picks under Settings > Language is left alone.
    assert not (english.state / "config" / "lab" / "user-settings").exists()
    assert _lab_defaults(english)["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
    chinese = plan(course)
    assert chinese.language == "zh" and _jupyterlab_locale(chinese) == "zh_CN"
    assert plan(course, language="en").language == "en"  # igcourse --lang en lab
    monkeypatch.setenv("IGCOURSE_LANG", "en")
    assert _jupyterlab_locale(plan(course)) == "en"


def test_every_locale_of_the_course_is_installed_for_jupyterlab():
    """The language packs that JupyterLab's Chinese needs are in the course's environment."""
    from jupyterlab_server.translation_utils import get_language_packs

    packs, error = get_language_packs()
    assert not error and set(LAB_LOCALES.values()) <= set(packs), (packs, error)


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
