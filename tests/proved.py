"""Long proofs run only when what they prove changed (igcourse/grading/proofs.py).

    run_or_skip(CHAPTER, "validate", lambda: run_validation(CHAPTER, ROOT, workers=2), __file__)

A proof that must judge what a run printed does so inside `run` (see `captured`) and returns
non-zero when it is not as expected: only a passing proof is recorded. A test whose asserts are
the proof wraps them instead:

    with proved_once(chapter, "quick mode: cgan", __file__) as summary:
        ...  # the test's own work and asserts
        summary.append("cgan ran in quick mode in 49 s")

The proof is skipped when proofs/<chapter>.json records that it passed for exactly the content
it depends on now; otherwise it runs, and a pass is recorded (commit the record with the
change). IGCOURSE_PROOFS=all runs every proof whatever the records say.
"""

import io
import os
import time
from contextlib import contextmanager, redirect_stdout

import pytest
from hidden_checks import ROOT

from igcourse.grading.proofs import digest, record, still_proved


def captured(run):
    """(exit code, printed text) of `run()`: for a proof that judges what a run printed."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = run()
    return code, out.getvalue()


@contextmanager
def proved_once(chapter, proof, test_file, environment="", also=()):
    """Skip the test when its proof is recorded for this content (test_file, the test stating
    what the proof must show, the files `also` beyond the chapter's and `environment`, the
    versions of other programs it runs, included); otherwise run the body, and record a pass
    when it ends without an error. The body may append its summary line to the list it gets."""
    also = (test_file, *also)
    kept = still_proved(ROOT, chapter, proof, also, environment)
    if kept and os.environ.get("IGCOURSE_PROOFS") != "all":
        pytest.skip(
            f"{chapter} {proof}: proved on {kept['date']} for exactly this content "
            f"({kept['summary']}); IGCOURSE_PROOFS=all runs it anyway"
        )
    before, started = digest(ROOT, chapter, also, environment), time.monotonic()
    summary = []
    yield summary
    seconds = time.monotonic() - started
    record(ROOT, chapter, proof, before, seconds, summary[-1] if summary else "passed")


def run_or_skip(chapter, proof, run, test_file):
    """Run `run()` (returns an exit code, prints what it did) unless proved for this content;
    return what it printed."""
    with proved_once(chapter, proof, test_file) as summary:
        code, text = captured(run)
        assert code == 0, text
        lines = reversed(text.splitlines())
        summary.append(next((line for line in lines if line.startswith(chapter)), ""))
    return text
