"""Chapter 5 validated end to end (slow).

The test runs `igcourse validate ch05_style_transfer`: the reference must score full marks, the
release and trivial answers zero, every answer set full marks, and every mutant must lose points
on its part with its mistake named. The questions every chapter answers are in
tests/test_chapters.py.
"""

import pytest
from hidden_checks import ROOT
from proved import run_or_skip

from igcourse.grading.validate import run_validation

CHAPTER = "ch05_style_transfer"


@pytest.mark.slow
def test_validation_of_chapter_5_passes():
    """Reference full marks, release zero, every mutant caught and named (a minute or two;
    skipped when proofs/ records a pass for exactly this content)."""
    run_or_skip(CHAPTER, "validate", lambda: run_validation(CHAPTER, ROOT, workers=2), __file__)
