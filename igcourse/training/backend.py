"""Choosing the Keras backend, which must happen before Keras is first imported."""

import importlib.util
import os
import sys

XLA_HOST_DEVICES = "--xla_force_host_platform_device_count"


def default_backend():
    """KERAS_BACKEND if set, else TensorFlow where it is installed, else JAX."""
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    return "tensorflow" if importlib.util.find_spec("tensorflow") else "jax"


def prepare_backend(name, devices=1):
    """Make Keras run on `name` in this process; False when Keras already runs on another.

    Before Keras is imported this sets KERAS_BACKEND (and, for JAX with several devices,
    the XLA flag that splits the CPU into that many devices: it changes nothing on a GPU).
    Afterwards it only checks; the caller then runs the training in a new process.
    """
    if "keras" in sys.modules:
        import keras

        if keras.backend.backend() != name:
            return False
        if name == "jax" and devices > 1:
            import jax

            return jax.device_count() >= devices
        return True
    os.environ["KERAS_BACKEND"] = name
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if name == "jax" and devices > 1 and "jax" not in sys.modules:
        flags = os.environ.get("XLA_FLAGS", "")
        if XLA_HOST_DEVICES not in flags:
            os.environ["XLA_FLAGS"] = f"{flags} {XLA_HOST_DEVICES}={devices}".strip()
    return True
