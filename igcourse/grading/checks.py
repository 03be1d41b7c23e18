"""Helpers that hidden checks use: seeded inputs, comparisons with readable failure messages.

Every failure raises CheckFailed with a message a student can act on. A check may pass
`explain`: a function called only on failure (typically a MistakeZoo lookup) whose sentence,
if any, is added to the message.
"""

import hashlib
import zlib

import numpy as np

from igcourse.checks.relation import relation_note
from igcourse.grading.mutants import to_numpy
from igcourse.i18n import _


class CheckFailed(AssertionError):
    """A hidden check failed; str(error) is the message for the student.

    `images`: [(caption, 2-D array)] that the feedback page shows under the message.
    """

    def __init__(self, message, images=()):
        super().__init__(message)
        self.images = list(images)


def _hint(explain):
    if explain is None:
        return ""
    return explain() if callable(explain) else str(explain)


def first_of(*explains):
    """explain= that says the first non-empty text of `explains` (functions or texts), in
    order: a known mistake from the zoo first, say, and what the evidence shows after it."""
    return lambda: next((text for text in map(_hint, explains) if text), "")


def fail(message, explain=None, images=()):
    """Fail the check with `message` (and the known mistake `explain` names, if any).

    images: [(caption, array)] or a function returning them, called only here, on failure.
    """
    hint = _hint(explain)
    images = images() if callable(images) else images
    raise CheckFailed("\n".join(text for text in (message, hint) if text), images)


def check(condition, message, explain=None, images=()):
    """Fail with `message` unless `condition` holds."""
    if not condition:
        fail(message, explain, images)


# Mixed into every seed: grading sets it per submission (from the course's secret and the
# submission's content, igcourse.grading.secret), so hidden inputs cannot be recorded from one
# submission's feedback and replayed in the next; the same submission gets the same inputs.
_salt = ""


def set_salt(salt):
    """Every seeded_rng from now on draws the inputs of this salt."""
    global _salt
    _salt = str(salt)


def seeded_rng(label):
    """A NumPy Generator seeded from a label (and the grading salt): each check has its own
    inputs, the same on every run for the same submission."""
    if not _salt:
        return np.random.default_rng(zlib.crc32(label.encode("utf-8")))
    digest = hashlib.sha256(f"{_salt}|{label}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def assert_shape(actual, shape, what, explain=None):
    actual_shape, shape = tuple(to_numpy(actual).shape), tuple(shape)
    check(
        actual_shape == shape,
        _("{what} should have shape {expected}, but has shape {actual}.").format(
            what=what, expected=shape, actual=actual_shape
        )
        + (
            _(" Those are the right sizes in another order: axes swapped.")
            if sorted(actual_shape) == sorted(shape)
            else ""
        ),
        explain,
    )


def assert_close(actual, expected, what, rtol=1e-5, atol=1e-7, explain=None):
    """Fail unless `actual` has the shape of `expected` and values within the tolerance."""
    try:
        actual = to_numpy(actual)
    except (TypeError, ValueError):
        fail(
            _("{what} should be an array or a number, not {kind}.").format(
                what=what, kind=type(actual).__name__
            ),
            explain,
        )
    expected = to_numpy(expected)
    assert_shape(actual, expected.shape, what, explain)
    if actual.dtype.kind not in "biuf":
        fail(
            _("{what} should hold numbers, but holds values of type {dtype}.").format(
                what=what, dtype=actual.dtype
            ),
            explain,
        )
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    bad = ~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=False)
    if not bad.any():
        return
    # A low-precision result that agrees to its own precision: the dtype is the evidence, so no
    # known mistake is matched on values that no mistake changed.
    if _agrees_to_own_precision(actual, a, e):
        fail(
            _(
                "{what} holds {dtype} values, which agree with the expected ones only to "
                "{dtype}'s precision (the largest relative difference is {relative:.1e}): compute "
                "and return float64."
            ).format(what=what, dtype=actual.dtype, relative=_largest_relative(a, e))
        )
    # A known mistake or a specific explanation, when there is one, says more than the
    # relation of the values (a LeakyReLU on negative logits is not a mean for a sum).
    explain = _hint(explain)
    note = "" if explain else relation_note(a, e, rtol=rtol, atol=atol)
    if expected.ndim == 0:
        fail(
            _("{what} is {actual:.6g}, but should be {expected:.6g}.").format(
                what=what, actual=float(a), expected=float(e)
            )
            + note,
            explain,
        )
    diff = np.where(bad, np.abs(a - e), -1.0)
    diff = np.where(np.isnan(diff), np.inf, diff)
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    fail(
        _(
            "{what} differs from the expected values at {count} of {total} positions; the "
            "largest difference is at index {index}: yours {actual:.6g}, expected "
            "{expected:.6g}."
        ).format(
            what=what,
            count=int(bad.sum()),
            total=bad.size,
            index=tuple(int(i) for i in index),
            actual=a[index],
            expected=e[index],
        )
        + note,
        explain,
    )


def _agrees_to_own_precision(actual, a, e):
    """Whether a float16/float32 result equals the expected values within a few units of its
    own precision (a check that asks for more asks for float64)."""
    if actual.dtype not in (np.float16, np.float32) or not np.all(np.isfinite(a)):
        return False
    return bool(np.allclose(a, e, rtol=8 * np.finfo(actual.dtype).eps, atol=1e-12))


def _largest_relative(a, e):
    return float(np.max(np.abs(a - e) / np.maximum(np.abs(e), 1e-300)))
