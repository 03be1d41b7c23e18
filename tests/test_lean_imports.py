"""Grading processes import TensorFlow without JAX and Keras without Matplotlib, and students'
code can still import Matplotlib (igcourse/lean_imports.py)."""

import subprocess
import sys

PROBE = """
import sys
from igcourse.lean_imports import lean_tensorflow
lean_tensorflow()
import keras
print("matplotlib during keras:", "matplotlib" in sys.modules)
import matplotlib.pyplot
print("pyplot afterwards:", matplotlib.pyplot.__name__)
try:
    import jax
    print("jax: imported")
except ImportError:
    print("jax: refused")
"""


def test_keras_imports_without_matplotlib_which_students_can_still_import():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "matplotlib during keras: False" in done.stdout, done.stdout
    assert "pyplot afterwards: matplotlib.pyplot" in done.stdout, done.stdout
    assert "jax: refused" in done.stdout, done.stdout
