"""How a wrong array is related to the expected one, in one sentence.

When a result is a simple transform of the right answer (k times it, its negative, its axes in
another order, a reshape where the axes should move, reversed or shifted by one along an axis,
right except at one edge), saying so points the student at the mistake without guessing its
cause. Each relation is tested on the values themselves, and only when it holds exactly (up to
round-off) at every position; otherwise `relation_note` says nothing.
"""

import itertools

import numpy as np

from igcourse.checks import N_
from igcourse.i18n import _

# What the factor shows, with the commonest way to get it as an example, not as the cause: a
# table normalised over all its pixels is divided by their number too.
SUM_FOR_MEAN = N_(
    "Yours is exactly {k} times the expected value: a division by {k} is missing (a sum of {k} "
    "terms where their mean is asked, say)."
)
MEAN_FOR_SUM = N_(
    "Yours is exactly 1/{k} of the expected value: it is divided by {k} once too often (a mean "
    "of {k} terms where their sum is asked, say)."
)

# Axis permutations are tried up to this rank (4! = 24 orders).
_MAX_PERMUTED_RANK = 4
# Below this many distinct values, a reordering can match by coincidence.
_MIN_DISTINCT = 4


def with_relation(message, actual, expected, rtol=1e-5, atol=1e-7, explained=False):
    """`message`, followed by the relation of `actual` to `expected` when there is one and the
    message does not already explain the mistake (`explained`): two causes would confuse."""
    note = "" if explained else relation_note(actual, expected, rtol=rtol, atol=atol)
    return f"{message}.{note}" if note else message


def relation_note(actual, expected, rtol=1e-5, atol=1e-7):
    """ " " + a sentence when `actual` is a simple transform of `expected`, else ""."""
    try:
        a = np.asarray(actual, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):  # not numbers, or ragged
        return ""
    if a.shape != e.shape or not np.all(np.isfinite(a)) or not np.all(np.isfinite(e)):
        return ""

    def same(x, y):
        return x.shape == y.shape and bool(np.allclose(x, y, rtol=rtol, atol=atol))

    if same(a, e):
        return ""
    for note in (
        _scale_note(a, e),
        _negated(a, e, same),
        _wrapped(a, e),
        _permuted(a, e, same),
        _reshaped(a, e, same),
        _reversed(a, e, same),
        _shifted(a, e, same),
        _offset(a, e, same),
        _edge_only(a, e, rtol, atol),
        _rows_reordered(a, e, same),
        _reordered(a, e, same),
    ):
        if note:
            return " " + note
    return ""


def _scale_note(actual, expected):
    """The sentence when `actual` is exactly k or 1/k times `expected` everywhere, for a whole k
    of at least 3: the mark of a sum where a mean is asked (or the reverse). Factors of 2 have
    other common causes (a missing 0.5), so they get no sentence."""
    nonzero = expected != 0
    if not nonzero.any() or np.any(actual[~nonzero] != 0):
        return ""
    ratios = actual[nonzero] / expected[nonzero]
    ratio = float(np.median(ratios))
    if ratio <= 0 or not np.allclose(ratios, ratio, rtol=1e-4):
        return ""
    for k, text in ((ratio, SUM_FOR_MEAN), (1 / ratio, MEAN_FOR_SUM)):
        if k >= 2.5 and abs(k - round(k)) < 1e-3 * k:
            return _(text).format(k=round(k))
    return ""


def _distinct(e):
    return np.unique(np.round(e, 9)).size >= _MIN_DISTINCT


def _negated(a, e, same):
    if np.any(e != 0) and same(a, -e):
        return _("Yours is the expected value with the opposite sign.")
    return ""


def _wrapped(a, e):
    """Integers off by whole multiples of 256 where they differ: a value wrapped around."""
    if np.any(a != np.round(a)) or np.any(e != np.round(e)):
        return ""
    difference = (a - e)[a != e]
    if np.all(difference % 256 == 0):
        return _(
            "Where yours differs, it is off by a multiple of 256: the mark of an integer "
            "overflow, a value that wrapped around in a narrow integer type (uint8 or int16, "
            "say) somewhere in the computation."
        )
    return ""


def _permuted(a, e, same):
    if not 2 <= e.ndim <= _MAX_PERMUTED_RANK or not _distinct(e):
        return ""
    for order in itertools.permutations(range(e.ndim)):
        if order != tuple(range(e.ndim)) and same(a, np.transpose(e, order)):
            return _(
                "Yours holds the expected values with the axes in another order: it is the "
                "expected array transposed to axes {order}."
            ).format(order=order)
    return ""


def _reshaped(a, e, same):
    """`a` is x reshaped where x's axes should have been moved: the expected array's values
    read in the memory order of another axis order."""
    if not 2 <= e.ndim <= _MAX_PERMUTED_RANK or not _distinct(e):
        return ""
    for order in itertools.permutations(range(e.ndim)):
        if order != tuple(range(e.ndim)) and same(a, np.transpose(e, order).reshape(e.shape)):
            return _(
                "Yours holds the expected values in the order a reshape gives: a reshape keeps "
                "the values in memory order, so it cannot swap axes; move the axes with a "
                "transpose (np.transpose, np.moveaxis, keras.ops.transpose) instead."
            )
    return ""


def _reversed(a, e, same):
    if not _distinct(e):
        return ""
    for axis in range(e.ndim):
        if e.shape[axis] > 1 and same(a, np.flip(e, axis)):
            return _("Yours is the expected array reversed along axis {axis}.").format(axis=axis)
    return ""


def _shifted(a, e, same):
    """`a` is `e` moved by one place along an axis (what it holds at i is expected at i + 1, or
    at i - 1), everywhere they overlap: an off-by-one in an index or a range."""
    if not _distinct(e):
        return ""
    for axis in range(e.ndim):
        n = e.shape[axis]
        if n < 3:
            continue
        head = np.take(e, range(n - 1), axis=axis)
        tail = np.take(e, range(1, n), axis=axis)
        if same(np.take(a, range(1, n), axis=axis), head):
            direction = _("what yours holds at index i is expected at index i - 1")
        elif same(np.take(a, range(n - 1), axis=axis), tail):
            direction = _("what yours holds at index i is expected at index i + 1")
        else:
            continue
        return _(
            "Yours is the expected array shifted by one place along axis {axis} ({direction}): "
            "an index or a range is off by one."
        ).format(axis=axis, direction=direction)
    return ""


def _offset(a, e, same):
    if e.size < 2:
        return ""
    shift = float(np.median(a - e))
    if shift != 0 and same(a - shift, e):
        return _("Yours is the expected value plus {shift:.6g} at every position.").format(
            shift=shift
        )
    return ""


def _edge_only(a, e, rtol, atol):
    """Every wrong position lies at the first or the last entry along axis 0 (an image, a code,
    a row), and the rest varies enough to say something: an off-by-one at a loop's end. Other
    axes are left out: a probe's output can carry its evidence in one row of pixels, and "the
    first row is wrong" would then point at nothing the student wrote."""
    bad = ~np.isclose(a, e, rtol=rtol, atol=atol)
    n = e.shape[0] if e.ndim else 0
    if n < 3 or bad.all():
        return ""
    for index, where in ((n - 1, _("last")), (0, _("first"))):
        if not np.delete(bad, index, axis=0).any() and _distinct(np.delete(e, index, axis=0)):
            return _(
                "Yours is right everywhere except at the {where} entry along axis 0 (index "
                "{index}): look at how the {where} one is computed."
            ).format(where=where, index=index)
    return ""


def _rows_reordered(a, e, same):
    """The expected entries along axis 0 (rows, images, codes), in another order."""
    if e.ndim < 2 or len(e) < 3:
        return ""
    rows_a, rows_e = a.reshape(len(a), -1), e.reshape(len(e), -1)
    if np.unique(np.round(rows_e, 9), axis=0).shape[0] < _MIN_DISTINCT:
        return ""
    if same(rows_a[np.lexsort(rows_a.T[::-1])], rows_e[np.lexsort(rows_e.T[::-1])]):
        return _(
            "Yours holds exactly the expected entries along axis 0, but in another order: "
            "check the order in which they are produced (which loop or axis comes first, and "
            "which way each one runs)."
        )
    return ""


def _reordered(a, e, same):
    """The same values at other positions (no simple transform found above)."""
    if e.ndim == 0 or e.size < 2 or not _distinct(e):
        return ""
    if same(np.sort(a, axis=None), np.sort(e, axis=None)):
        return _(
            "Yours holds exactly the expected values, but at other positions: check where each "
            "value is put (the order of the axes and of the loops that fill the result, and "
            "which way each one runs)."
        )
    return ""
