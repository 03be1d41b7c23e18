"""Running training code in a fresh process, on a chosen backend (tests, scripts)."""

import os
import subprocess
import sys

from igcourse.paths import repo_root

# Makes `import tensorflow` fail, as on the GPU machine, which has JAX and no TensorFlow;
# it also spares a JAX process TensorFlow's start-up time.
WITHOUT_TENSORFLOW = "import sys; sys.modules['tensorflow'] = None\n"


# XLA optimises less and compiles faster: for tests, whose tiny models take longer to
# compile than to run; never for timings.
QUICK_COMPILE = "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true"


def python_env(backend, devices=1, quick_compile=False, **extra):
    """os.environ for a process whose Keras runs on `backend`, with `devices` CPU devices.

    JAX processes share a persistent compilation cache under .cache/, so the second
    process that builds the same model skips most of XLA's compile time.
    """
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
    env["IGCOURSE_ROOT"] = str(repo_root())
    if backend == "jax":
        env.setdefault("JAX_COMPILATION_CACHE_DIR", str(repo_root() / ".cache" / "jax"))
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")
    flags = [QUICK_COMPILE] if quick_compile else []
    if backend == "jax" and devices > 1:
        flags.append(f"--xla_force_host_platform_device_count={devices}")
    env["XLA_FLAGS"] = " ".join(flags)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def python_code(code, backend, devices=1, without_tensorflow=None):
    """The command line that runs `code` in a new Python (JAX: without TensorFlow by default)."""
    if without_tensorflow is None:
        without_tensorflow = backend == "jax"
    prelude = WITHOUT_TENSORFLOW if without_tensorflow else ""
    return [sys.executable, "-c", prelude + code]


def run_code(code, backend, devices=1, timeout=600, without_tensorflow=None, **extra):
    """Run `code` in a new Python, compiling quickly; returns the CompletedProcess."""
    return subprocess.run(
        python_code(code, backend, devices, without_tensorflow),
        env=python_env(backend, devices, quick_compile=True, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=repo_root(),
    )


def popen_code(code, backend, log, devices=1, without_tensorflow=None, **extra):
    """Start `code` in a new Python, compiling quickly, output to the file `log`: a Popen."""
    with open(log, "w") as output:
        return subprocess.Popen(
            python_code(code, backend, devices, without_tensorflow),
            env=python_env(backend, devices, quick_compile=True, **extra),
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=repo_root(),
        )


def train_command_code(argv):
    """Python code that runs `python -m igcourse.training` with `argv`."""
    return f"from igcourse.training.cli import main\nraise SystemExit(main({list(argv)!r}))\n"
