"""The public checks count in the hidden grade: each part's public checks run again in grading.

A student sees the public checks in their notebook; the hidden grade must not be kinder than
them. Each chapter's check file adds one test per part:

    test_public_checks = public_checks_test("ch01_pixelcnn", PART_NAMES, probes)

which runs that part's public checks on the code under test (in the sandbox worker for a
submission, through the probes module's `public_checks`, which is this module's
`run_public_checks`) and fails with the first public check's message. Marked `public`: it costs
a share of the part's points when it fails, and never earns them on its own
(igcourse.grading.results.part_scores).
"""

import os

from igcourse.grading.checks import fail
from igcourse.i18n import _


def run_public_checks(ns, chapter, part):
    """Probe: [[description, outcome, message]] of the part's public checks on ns."""
    from igcourse.checks import public_checks, run_check

    checks = public_checks(chapter).get(part, [])
    # In the notebook's own folder, as its kernel runs: a handed-in part's check reads the
    # files there (in the worker, its read-only copy of them).
    folder, here = ns.folder, os.getcwd()
    if folder is not None and folder.is_dir():
        os.chdir(folder)
    try:
        results = [run_check(part, check, ns.names()) for check in checks]
    finally:
        os.chdir(here)
    return [[r.check, r.outcome, r.message] for r in results]


def public_checks_test(chapter, part_names, probes):
    """A hidden check, one per part, that fails when a public check of the part fails."""
    import pytest  # here: the sandbox worker imports this module for run_public_checks only

    parts = [pytest.param(part, marks=pytest.mark.part(part), id=part) for part in part_names]

    @pytest.mark.public
    @pytest.mark.parametrize("part", parts)
    def test_public_checks_pass(submission, part):
        results = submission.probe(part, probes.public_checks, chapter, part)
        failed = [r for r in results if r[1] != "passed"]
        if failed:
            check_name, _outcome, message = failed[0]
            fail(
                _("The public check '{check}' of this part fails in grading too: {message}").format(
                    check=check_name, message=message
                )
            )

    return test_public_checks_pass
