"""Long proofs run only when what they prove changed (igcourse/grading/proofs.py).

    run_or_skip(CHAPTER, "validate", lambda: run_validation(CHAPTER, ROOT, workers=2), __file__)

A proof that must judge what a run printed does so inside `run` (see `captured`) and returns
non-zero when it is not as expected: only a passing proof is recorded.

The proof is skipped when proofs/<chapter>.json records that it passed for exactly the content
it depends on now; otherwise it runs, and a pass is recorded (commit the record with the
change). IGCOURSE_PROOFS=all runs every proof whatever the records say.
"""

import io
import os
import time
from contextlib import redirect_stdout

import pytest
from hidden_checks import ROOT

from igcourse.grading.proofs import digest, record, still_proved


def captured(run):
    """(exit code, printed text) of `run()`: for a proof that judges what a run printed."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = run()
    return code, out.getvalue()


def run_or_skip(chapter, proof, run, test_file):
    """Run `run()` (returns an exit code, prints what it did) unless proved for this content
    (test_file, the test stating what the proof must show, included); return what it printed."""
    also = (test_file,)
    kept = still_proved(ROOT, chapter, proof, also)
    if kept and os.environ.get("IGCOURSE_PROOFS") != "all":
        pytest.skip(
            f"{chapter} {proof}: proved on {kept['date']} for exactly this content "
            f"({kept['summary']}); IGCOURSE_PROOFS=all runs it anyway"
        )
    before, started = digest(ROOT, chapter, also), time.monotonic()
    code, text = captured(run)
    assert code == 0, text
    summary = next((line for line in reversed(text.splitlines()) if line.startswith(chapter)), "")
    record(ROOT, chapter, proof, before, time.monotonic() - started, summary)
    return text
