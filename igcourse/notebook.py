"""Helpers that notebooks import: quick mode, progress bars, image grids, and clear messages.

Every course notebook calls `quick_mode()` in its first cell. In a JupyterLab kernel that call
also checks the kernel (the course's Python and packages, else it says which kernel to pick)
and makes data problems show as their message, with what to run, instead of a traceback.
"""

import importlib.metadata
import importlib.util
import os
import sys
import textwrap
from pathlib import Path

import numpy as np

from igcourse.i18n import _

MIN_PYTHON = (3, 11)
# What every notebook's first cells import; the student bundle installs the same packages.
COURSE_PACKAGES = ("numpy", "matplotlib", "tensorflow", "keras", "tqdm")
# Device files of the GPU drivers TensorFlow and JAX use (NVIDIA, AMD ROCm, WSL).
GPU_DEVICES = ("/dev/nvidia0", "/dev/kfd", "/dev/dxg")

_prepared = set()  # ids of the kernels already prepared


def in_kernel():
    """True inside a Jupyter kernel (where a person reads the output), not in a script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def quick_mode():
    """True when the notebook should run its short version.

    nbgrader sets NBGRADER_EXECUTION while it autogrades; CI and impatient readers set
    IGCOURSE_QUICK=1. IGCOURSE_QUICK=0 forces the full run. Otherwise a notebook kernel on a
    machine without a GPU runs the short version, and says so; scripts and graders that set
    neither get the full version, as before.
    """
    kernel = in_kernel()
    if kernel:
        prepare_kernel()
    flag = os.environ.get("IGCOURSE_QUICK")
    if flag is not None:
        return flag not in ("", "0", "false", "False")
    if os.environ.get("NBGRADER_EXECUTION"):
        return True
    if kernel and not gpu_available():
        print(no_gpu_message())
        return True
    return False


def no_gpu_message():
    return _(
        "No GPU found: this notebook trains its quick version on the CPU (a smaller model, "
        "fewer steps; the public checks are the same). For the full version, run it on a "
        "machine with a GPU, or set IGCOURSE_QUICK=0 before starting JupyterLab."
    )


def gpu_available():
    """True when TensorFlow (or JAX, or failing both, a GPU driver's device file) sees a GPU.

    TensorFlow is asked only when it is already imported or a GPU device file exists, so
    that notebooks that use NumPy alone do not pay for importing it.
    """
    if "tensorflow" in sys.modules or (
        any(Path(device).exists() for device in GPU_DEVICES)
        and importlib.util.find_spec("tensorflow")
    ):
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    if "jax" in sys.modules:
        import jax

        return any(device.platform != "cpu" for device in jax.devices())
    return any(Path(device).exists() for device in GPU_DEVICES)


def kernel_problems(packages=COURSE_PACKAGES):
    """What is wrong with this kernel's Python for the course, in sentences (empty if nothing)."""
    problems = []
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < MIN_PYTHON:
        problems.append(
            _(
                "this kernel runs Python {version}; the course needs Python {needed} or newer"
            ).format(version=version, needed=".".join(map(str, MIN_PYTHON)))
        )
    missing = [name for name in packages if importlib.util.find_spec(name) is None]
    if missing:
        problems.append(
            _("this kernel's Python ({python}) lacks the course packages: {missing}").format(
                python=sys.executable, missing=", ".join(missing)
            )
        )
    elif "keras" in packages:
        keras_version = importlib.metadata.version("keras")
        if not keras_version.startswith("3."):
            problems.append(
                _("this kernel has Keras {version}; the course needs Keras 3").format(
                    version=keras_version
                )
            )
    return problems


def wrong_kernel_message(problems):
    return _(
        "Wrong kernel: {problems}.\n"
        "Use the course's kernel: start JupyterLab with `./course.sh lab` in the course folder "
        "(or `.venv/bin/jupyter lab notebooks` in the student bundle), then choose Kernel > "
        "Change Kernel... > Python 3 (ipykernel). In VS Code or another Jupyter, select the "
        "Python interpreter of the course's .venv folder."
    ).format(problems="; ".join(problems))


def kernel_guard_source():
    """The code of the first cell of every released notebook, in the current language.

    It needs the standard library alone, so a kernel that lacks the course's packages (where
    the next cell would stop at its first import with a ModuleNotFoundError) gets the
    message of wrong_kernel_message and nothing else. The build puts it in.
    """
    packages = ("igcourse", *COURSE_PACKAGES)
    problem = _("this kernel's Python ({python}) lacks the course packages: {missing}")
    pieces = _source_pieces(wrong_kernel_message([problem]))
    message = "\n".join(f"        {piece!r}" for piece in pieces)
    comment = _("Is this the course's kernel? (This cell needs only the standard library.)")
    return (
        f"# {comment}\n"
        "import importlib.util\n"
        "import sys\n"
        "\n"
        f"_needed = {packages!r}\n"
        "_missing = [p for p in _needed if importlib.util.find_spec(p) is None]\n"
        "if _missing:\n"
        "    raise SystemExit((\n"
        f"{message}\n"
        "    ).format(python=sys.executable, missing=', '.join(_missing)))"
    )


def _source_pieces(text, width=72):
    """`text` cut into pieces of about `width` characters that join back into it, at spaces
    where there are some (Chinese has none), for a readable string literal."""
    pieces = []
    for line in text.split("\n"):
        chunks = textwrap.wrap(
            line, width, drop_whitespace=False, break_on_hyphens=False, replace_whitespace=False
        ) or [""]
        pieces.extend(chunks[:-1] + [chunks[-1] + "\n"])
    pieces[-1] = pieces[-1][:-1]
    assert "".join(pieces) == text
    return pieces


def prepare_kernel(shell=None):
    """Check the kernel once, and show data problems as messages rather than tracebacks."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if id(shell) in _prepared:
        return
    _prepared.add(id(shell))
    problems = kernel_problems()
    if problems:
        print(wrong_kernel_message(problems), file=sys.stderr)
    from igcourse.data.errors import DataError

    def show_data_error(shell, etype, value, tb, tb_offset=None):
        lines = [
            _("{kind}: {message}").format(kind=etype.__name__, message=value),
            _("Then run this cell again."),
        ]
        shell._showtraceback(etype, value, lines)
        return lines

    shell.set_custom_exc((DataError,), show_data_error)


def progress(iterable, total=None, description=None):
    """A progress bar over `iterable`: a widget in JupyterLab, text in a terminal.

    Silent where nobody watches (a grader's or a script's output that is not a terminal), so
    that captured output stays small. Without ipywidgets the bar is text in a notebook too.
    """
    if importlib.util.find_spec("ipywidgets"):
        from tqdm.auto import tqdm
    else:  # tqdm.auto would warn that IProgress is missing
        from tqdm import tqdm

    quiet = not (in_kernel() or sys.stderr.isatty())
    return tqdm(iterable, total=total, desc=description, disable=quiet)


def image_grid(images, columns=8, pad=1, pad_value=1.0):
    """Tile images (N, H, W) or (N, H, W, C) into one array for plt.imshow."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    n, h, w = images.shape[:3]
    rows = -(-n // columns)
    grid_shape = (rows * (h + pad) + pad, columns * (w + pad) + pad) + images.shape[3:]
    grid = np.full(grid_shape, pad_value, dtype=np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        top, left = pad + r * (h + pad), pad + c * (w + pad)
        grid[top : top + h, left : left + w] = image
    return grid
