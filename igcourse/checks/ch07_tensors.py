"""Small tools chapter 7's public checks share: tensors in and NumPy out, seeded normal inputs,
and one comparison that says where two arrays differ most.

Named after the chapter on purpose: a module of igcourse/checks named after no chapter is read by
every chapter's recorded proofs (see igcourse/grading/proofs.py), so adding one would run them
all again. The older chapters' twins of these helpers can move here (renamed to a shared module)
the next time every proof runs anyway."""

import re

import numpy as np

from igcourse.checks import expect, rounded


def frameworks():
    """(tensorflow, keras), imported when a check first needs them."""
    import keras
    import tensorflow as tf

    return tf, keras


def tensor(array):
    tf, _keras = frameworks()
    return tf.constant(np.asarray(array, np.float32))


def array(value):
    _tf, keras = frameworks()
    return np.asarray(keras.ops.convert_to_numpy(value), np.float64)


def normal(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# Keras's words around an error raised in a layer's call, with nothing of the error's own.
_KERAS_STUB = re.compile(r"Exception encountered when calling [\w.]+\(\)\.\s*(\x1b\[[0-9;]*m\s*)*$")


def applied(layer, *args, **kwargs):
    """layer(*args, **kwargs); a release stub's bare NotImplementedError raised bare again (Keras
    wraps an error raised in `call` in words of its own, and the report should say "not
    implemented")."""
    try:
        return layer(*args, **kwargs)
    except NotImplementedError as error:
        if _KERAS_STUB.match(str(error).split("Arguments received by")[0]):
            raise NotImplementedError().with_traceback(error.__traceback__) from None
        raise


def close(got, expected, message, tolerance=1e-4):
    """Fail with message (formatted with got and expected where they differ most) unless they
    agree; a shape that differs is said as a shape."""
    got, expected = np.asarray(got, np.float64), np.asarray(expected, np.float64)
    if got.shape != expected.shape:
        expect(False, message.format(got=f"shape {got.shape}", expected=f"shape {expected.shape}"))
    if got.ndim and got.size:
        worst = np.unravel_index(
            np.argmax(np.nan_to_num(np.abs(got - expected), nan=np.inf)), got.shape
        )
    else:
        worst = ()
    expect(
        bool(np.allclose(got, expected, atol=tolerance, rtol=1e-4)),
        message.format(got=rounded(got[worst], 5), expected=rounded(expected[worst], 5)),
    )
