"""Imports that grading processes skip: each one costs seconds and does nothing there.

- Importing TensorFlow imports JAX too when it is installed (tf.lite looks for jax.jit, to
  convert JAX functions): half a second of every check process and sandbox worker, which never
  use it. The course installs JAX for the trainer's JAX engine, so it cannot simply be left out.
- Importing Keras imports matplotlib.pyplot (for keras.visualization.plot_image_gallery): a
  quarter of a second of every process that imports TensorFlow, and grading never plots with
  Keras. Students' code may still import Matplotlib: only Keras's own import goes without it.
- Importing nbformat imports jsonschema, which compiles rfc3987-syntax's grammar for the "iri"
  string formats when that package is installed (JupyterLab's jupyter-events brings it): a
  second before `igcourse grade` reads its first notebook. Notebook schemas check no string
  formats, and nbformat validates with fastjsonschema.
"""

import importlib.abc
import os
import sys


def tensorflow_without_jax():
    """From now on `import jax` fails at once in this process, as if JAX were not installed
    (a None in sys.modules stops an import); nothing changes where Keras runs on JAX or JAX is
    imported already. For grading processes only: a submission's `import jax` fails there."""
    if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        sys.modules.setdefault("jax", None)


def lean_tensorflow():
    """Both of the above for a grading process (a check process or a sandbox worker)."""
    tensorflow_without_jax()
    keras_without_pyplot()


class _NoMatplotlibWhileKerasImports(importlib.abc.MetaPathFinder):
    """`import matplotlib` fails while Keras's own import runs (Keras catches the ImportError
    and leaves plot_image_gallery unable to plot), and works as always before and after."""

    def find_spec(self, name, path=None, target=None):
        keras_spec = getattr(sys.modules.get("keras"), "__spec__", None)
        if name == "matplotlib" and getattr(keras_spec, "_initializing", False) is True:
            raise ModuleNotFoundError("Keras is imported without Matplotlib here", name=name)
        return None  # the usual finders look for it


def keras_without_pyplot():
    """From now on Keras imports without Matplotlib in this process (nothing changes where
    Keras or Matplotlib is imported already)."""
    if not any(isinstance(f, _NoMatplotlibWhileKerasImports) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoMatplotlibWhileKerasImports())


def notebooks_without_iri_grammar():
    """From now on jsonschema, imported after this, checks no "iri" string formats in this
    process (as if rfc3987-syntax were not installed); nothing changes where it is imported
    already. For the grading command only: notebooks and the gradebook never use that format,
    while JupyterLab's event schemas may (the lab runs in a process of its own)."""
    sys.modules.setdefault("rfc3987_syntax", None)
