"""Public checks: light tests that students run from their notebooks.

A public check cell calls ``check_part(chapter, part, globals())``. The module
``igcourse.checks.<chapter>`` holds ``PUBLIC_CHECKS = {part: [check, ...]}``; each check is a
plain function of the student's namespace (a dict) that raises ``CheckFailure`` with a message
a student can act on. ``check_part`` runs them all, prints a short report and raises
``AssertionError`` when any failed, so that nbgrader scores the cell zero.
"""

import importlib
import re
import sys

import numpy as np

from igcourse.checks.result import FAILED, PASSED, CheckResult
from igcourse.i18n import _


def N_(message):
    """Mark a message for translation without translating it yet (it is shown later via _)."""
    return message


class CheckFailure(AssertionError):
    """A check found a mistake; the message says what to fix."""


def describe(description):
    """Attach a one-line description (marked with N_) to a check function."""

    def decorate(function):
        function.description = description
        return function

    return decorate


def require(namespace, name):
    """The object a student defined under `name`, or a failure that asks them to define it."""
    if name not in namespace:
        raise CheckFailure(
            _("`{name}` is not defined: define `{name}` in the cell above and run it").format(
                name=name
            )
        )
    return namespace[name]


def expect(condition, message):
    """Fail with `message` (already translated and formatted) unless `condition` holds."""
    if not condition:
        raise CheckFailure(message)


def rounded(values, digits):
    """`values` as (nested lists of) Python floats rounded to `digits`, for messages: rounded in
    float64, as float32 values would print as 1.5019999742507935."""
    return np.round(np.asarray(values, np.float64), digits).tolist()


def expect_unchanged(given, copy, function, argument):
    """Fail unless the array `given` to `function` as `argument` still equals `copy`, the copy
    taken before the call: a function that edits its input in place changes the caller's data."""
    expect(
        np.array_equal(given, copy),
        _(
            "{function} changed the {argument} array it was given (in place): work on a copy, so "
            "that the caller's array stays as it was"
        ).format(function=function, argument=argument),
    )


def _innermost_code(traceback):
    code = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        traceback = traceback.tb_next
    if code is None:
        return "?"
    return getattr(code, "co_qualname", code.co_name)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_KERAS_WRAPPER = re.compile(r"Exception encountered when calling [\w.]+\(\)\.\s*")
_TF_OP_NAME = re.compile(r"\{\{function_node [^}]*\}\}\s*")


def error_words(text, limit=300):
    """An error's own words for a message: without terminal colour codes, Keras's "Exception
    encountered when calling ..." wrapper and TensorFlow's op names, on one line."""
    text = _TF_OP_NAME.sub("", _KERAS_WRAPPER.sub("", _ANSI.sub("", str(text))))
    return " ".join(text.split())[:limit]


def _explain(error):
    """The message that a check's unexpected exception deserves."""
    where = _innermost_code(error.__traceback__)
    # The release's stub raises a bare NotImplementedError(); a library's (NumPy called on a
    # tensor inside tf.function, say) carries a message and is a real error.
    if isinstance(error, NotImplementedError) and not str(error):
        return _(
            "not implemented yet: `{where}` still raises NotImplementedError; replace "
            "`raise NotImplementedError()` with your code"
        ).format(where=where)
    return _("your code raised {kind} in `{where}`: {error}").format(
        kind=type(error).__name__, where=where, error=error_words(error)
    )


def run_check(part, check, namespace):
    """Run one check and return its CheckResult (the hidden checks' type, with the check's
    translated description as its name); never raises for a student's mistake."""
    description = _(getattr(check, "description", check.__name__))
    try:
        check(namespace)
    except CheckFailure as failure:
        return CheckResult(description, part, FAILED, str(failure))
    except Exception as error:  # a student's code may raise anything
        return CheckResult(description, part, FAILED, _explain(error))
    return CheckResult(description, part, PASSED)


def public_checks(chapter):
    """The PUBLIC_CHECKS table of a chapter's check module."""
    try:
        module = importlib.import_module(f"{__name__}.{chapter}")
    except ModuleNotFoundError as error:
        raise ValueError(_("no public checks for chapter {chapter}").format(chapter=chapter)) from (
            error
        )
    return module.PUBLIC_CHECKS


def report(results, file=None):
    """Print one line per check: a tick or a cross, its description and what to fix."""
    file = file or sys.stdout
    for result in results:
        mark = "\u2713" if result.passed else "\u2717"
        line = f"  {mark} {result.check}"
        if result.message:
            line = _("{line}: {message}").format(line=line, message=result.message)
        print(line, file=file)


def report_html(title, results):
    """The report as an HTML table: one row per check, green or red, with what to fix."""
    import html

    rows = []
    for result in results:
        colour = "#e6f4ea" if result.passed else "#fde7e9"
        mark = "\u2713" if result.passed else "\u2717"
        # JupyterLab right-aligns table cells of HTML output unless a cell says otherwise.
        cell = '<td style="text-align:left;vertical-align:top">'
        rows.append(
            f'<tr style="background:{colour}">{cell}{mark}</td>{cell}{html.escape(result.check)}'
            f'</td><td style="text-align:left;vertical-align:top;white-space:pre-wrap">'
            f"{html.escape(result.message)}</td></tr>"
        )
    return (
        f'<div class="igcourse-report"><strong>{html.escape(title)}</strong>'
        '<table style="border-collapse:collapse;text-align:left">'
        + "".join(rows)
        + "</table></div>"
    )


def _show_html(title, results):
    """Display the report as HTML in a notebook kernel; False outside one (print text)."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return False
    display(HTML(report_html(title, results)))
    return True


def run_part(chapter, part, namespace):
    """Run the public checks of one part and return their CheckResults (nothing printed)."""
    table = public_checks(chapter)
    if part not in table:
        raise ValueError(
            _("chapter {chapter} has no part named {part}").format(chapter=chapter, part=part)
        )
    return [run_check(part, check, namespace) for check in table[part]]


def check_part(chapter, part, namespace):
    """Run the public checks of one part on a student's namespace and print a report.

    Raises AssertionError after the report when any check fails, so that nbgrader gives the
    check cell no points. Returns None, so a notebook cell shows only the report.
    """
    results = run_part(chapter, part, namespace)
    failed = [result for result in results if not result.passed]
    title = _("{part}: {passed} of {total} public checks passed").format(
        part=part, passed=len(results) - len(failed), total=len(results)
    )
    if not _show_html(title, results):
        print(title)
        report(results)
    if failed:
        raise AssertionError(
            _("{failed} of {total} public checks of `{part}` failed (see above)").format(
                failed=len(failed), total=len(results), part=part
            )
        )
