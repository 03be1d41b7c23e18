"""TensorFlow without JAX in the processes that grade.

Importing TensorFlow imports JAX too when it is installed (tf.lite looks for jax.jit, to convert
JAX functions): half a second of every check process and sandbox worker, which never use it.
The course installs JAX for the trainer's JAX engine, so it cannot simply be left out.
"""

import os
import sys


def tensorflow_without_jax():
    """From now on `import jax` fails at once in this process, as if JAX were not installed
    (a None in sys.modules stops an import); nothing changes where Keras runs on JAX or JAX is
    imported already. For grading processes only: a submission's `import jax` fails there."""
    if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        sys.modules.setdefault("jax", None)
