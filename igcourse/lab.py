"""`igcourse lab`: JupyterLab 4 on the course, for a student or an instructor.

A student gets their own copies of the release notebooks (``scratch/`` by default; the build
owns ``release/``, and a copy that exists is never overwritten) and nbgrader's student tools
(validate, assignments). An instructor gets the whole course folder, so the master notebooks
in ``source/``, and nbgrader's formgrader and create-assignment tools, reading the course's
``nbgrader_config.py`` (which loads ``course_config.py``) because the server runs in the
course folder.

The server listens on loopback only unless asked otherwise, with a token. Its Jupyter config
and data folders are the course's own (``.cache/lab/<role>``), so a kernel or an extension
that the person installed elsewhere cannot take the place of the course's: the only kernel
offered is this environment's Python.

JupyterLab's own menus and dialogs speak the course's language (Course.message_language in
course_config.py, or IGCOURSE_LANG, or --lang): Chinese comes from the language pack
jupyterlab-language-pack-zh-CN, installed with the course. The course sets JupyterLab's
defaults, so a language the person picks under Settings > Language stays theirs.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from igcourse.i18n import _

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8888

# nbgrader's JupyterLab plugins, and which role sees them.
NBGRADER_PLUGINS = {
    "@jupyter/nbgrader:formgrader": "instructor",
    "@jupyter/nbgrader:create-assignment": "instructor",
    "@jupyter/nbgrader:course-list": "instructor",
    "@jupyter/nbgrader:assignment-list": "both",
    "@jupyter/nbgrader:validate-assignment": "both",
}
NBGRADER_SERVER_EXTENSIONS = {
    "nbgrader.server_extensions.formgrader": "instructor",
    "nbgrader.server_extensions.course_list": "instructor",
    "nbgrader.server_extensions.assignment_list": "both",
    "nbgrader.server_extensions.validate_assignment": "both",
}

# The course's defaults for JupyterLab's settings; what the person changes in JupyterLab wins.
# Course machines are often offline, so no news or update pop-ups.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
# JupyterLab's locale for each language of the course (zh_CN: jupyterlab-language-pack-zh-CN).
LAB_LOCALES = {"en": "en", "zh": "zh_CN"}
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"


@dataclass
class LabPlan:
    """Everything needed to start the server: its command, folder, environment and URLs."""

    role: str  # "student" or "instructor"
    root: Path  # the course folder (the server's working directory)
    notebooks: Path  # the folder JupyterLab shows
    ip: str
    port: int
    token: str
    state: Path  # the course's own Jupyter config and data folders
    argv: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    copied: list = field(default_factory=list)  # release notebooks copied for the student
    language: str = "en"  # of JupyterLab's menus and dialogs: en or zh

    @property
    def base_url(self):
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"http://{host}:{self.port}"

    def url(self, path="lab"):
        return f"{self.base_url}/{path}?token={self.token}"


def free_port(ip=LOOPBACK, preferred=DEFAULT_PORT, tries=12):
    """`preferred` if nothing listens there, else the next free one, else any free port."""
    for port in [*range(preferred, preferred + tries), 0]:
        with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as probe:
            try:
                probe.bind((ip, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError(_("no free port on {ip}").format(ip=ip))


def copy_release(root, work):
    """Copy every release notebook that the student has no copy of yet; return the copies."""
    release = root / "release"
    copied = []
    for notebook in sorted(release.glob("*/*.ipynb")):
        target = work / notebook.relative_to(release)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(notebook, target)
            copied.append(target)
    return copied


def _enabled(role, who):
    return who == "both" or who == role


def lab_settings(language):
    """The course's defaults for JupyterLab's settings, JupyterLab's locale among them."""
    locale = LAB_LOCALES.get(language, LAB_LOCALES["en"])
    return {**LAB_SETTINGS, TRANSLATION_PLUGIN: {"locale": locale}}


def write_jupyter_config(state, role, language="en"):
    """The course's Jupyter config folder: which nbgrader tools this role sees, and the
    course's defaults for JupyterLab's settings (its language among them)."""
    config = state / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    disabled = {name: True for name, who in NBGRADER_PLUGINS.items() if not _enabled(role, who)}
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": disabled}, indent=1) + "\n"
    )
    server = {
        "ServerApp": {
            "jpserver_extensions": {
                name: _enabled(role, who) for name, who in NBGRADER_SERVER_EXTENSIONS.items()
            }
        }
    }
    (config / "jupyter_server_config.json").write_text(json.dumps(server, indent=1) + "\n")
    # Defaults, not the person's settings (lab/user-settings), so their own changes win; and
    # rewritten at every start, so a change of the course's language reaches them.
    (config / "labconfig" / "default_setting_overrides.json").write_text(
        json.dumps(lab_settings(language), indent=1) + "\n"
    )
    return config


def plan_lab(
    root,
    instructor=False,
    work=None,
    ip=LOOPBACK,
    port=None,
    token=None,
    browser=False,
    state=None,
    language=None,
):
    """Prepare (but do not start) JupyterLab on the course; see the module docstring.

    `state` is the folder of the server's Jupyter config, settings, workspaces and runtime
    files (default: .cache/lab/<role> in the course folder). `language` is JupyterLab's (en or
    zh; default: the course's, igcourse.config.course_language).
    """
    root = Path(root).resolve()
    if not language:
        from igcourse.config import course_language

        language = course_language(root)
    role = "instructor" if instructor else "student"
    copied = []
    if instructor:
        notebooks = root
    else:
        notebooks = Path(work).resolve() if work else root / "scratch"
        notebooks.mkdir(parents=True, exist_ok=True)
        copied = copy_release(root, notebooks)
    state = Path(state) if state else root / ".cache" / "lab" / role
    config = write_jupyter_config(state, role, language)
    (state / "data").mkdir(parents=True, exist_ok=True)
    port = port or free_port(ip)
    token = token or secrets.token_hex(24)
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_DATA_DIR=str(state / "data"),
        JUPYTER_RUNTIME_DIR=str(state / "data" / "runtime"),
        IGCOURSE_ROOT=str(root),
        TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
    )
    env.pop("JUPYTER_PATH", None)  # extra data folders could hold another "python3" kernel
    # The environment's own commands first, as if it were activated: nbgrader runs `alembic`
    # to create a new gradebook, and a terminal in JupyterLab should find the course's tools.
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")]) if env.get("PATH") else scripts
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={notebooks}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.open_browser={browser}",
        "--MultiKernelManager.default_kernel_name=python3",
    ]
    if os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")
    return LabPlan(role, root, notebooks, ip, port, token, state, argv, env, copied, language)


def announce(plan, file=None):
    """Tell the person where the server is and what it shows."""
    file = file or sys.stdout
    for path in plan.copied:
        print(_("copied {path}").format(path=path.relative_to(plan.notebooks)), file=file)
    if plan.role == "student":
        print(
            _("JupyterLab for students: your copies of the release notebooks in {folder}").format(
                folder=plan.notebooks
            ),
            file=file,
        )
    else:
        print(
            _("JupyterLab for instructors: the course folder {folder}, with formgrader").format(
                folder=plan.notebooks
            ),
            file=file,
        )
    print(_("Open this address in a browser: {url}").format(url=plan.url()), file=file)
    if plan.role == "instructor":
        print(_("Formgrader: {url}").format(url=plan.url("formgrader")), file=file)
    if plan.ip not in (LOOPBACK, "localhost", "::1"):
        print(
            _("Warning: the server listens on {ip}, so other machines can reach it").format(
                ip=plan.ip
            ),
            file=file,
        )
    print(_("Stop it with Ctrl+C."), file=file)
    file.flush()


def start(plan):
    """Start the planned server in the background and return its process."""
    return subprocess.Popen(plan.argv, cwd=plan.root, env=plan.env)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop(signum)


def run_lab(root, **options):
    """`igcourse lab`: plan, announce, then run JupyterLab until it stops.

    Ctrl+C, or SIGTERM or SIGHUP sent to this process, stops the server with its kernels.
    """
    plan = plan_lab(root, **options)
    announce(plan)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_stop)
    process = start(plan)
    try:
        return process.wait()
    except (KeyboardInterrupt, _Stop):
        process.terminate()  # Jupyter shuts its kernels down on SIGTERM
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 130
