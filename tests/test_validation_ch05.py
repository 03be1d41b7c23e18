"""Chapter 5 validated end to end (slow), and an untrained handed-in AdaIN decoder fails.

The test runs `igcourse validate ch05_style_transfer`: the reference must score full marks, the
release and trivial answers zero, every answer set full marks, and every mutant must lose points
on its part with its mistake named. The questions every chapter answers are in
tests/test_chapters.py.
"""

import json

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import proved_once, run_or_skip

from igcourse.grading.validate import run_validation

CHAPTER = "ch05_style_transfer"


@pytest.mark.slow
def test_validation_of_chapter_5_passes():
    """Reference full marks, release zero, every mutant caught and named (a minute or two;
    skipped when proofs/ records a pass for exactly this content)."""
    # A pytest run of half a notebook's mutants takes about 600 s when the machine is busy.
    run_or_skip(
        CHAPTER,
        "validate",
        lambda: run_validation(CHAPTER, ROOT, workers=2, timeout=1500),
        __file__,
    )


def test_an_untrained_handed_in_adain_decoder_fails_the_reconstruction_bar(tmp_path):
    """The AdaIN master's code with an untrained decoder beside it: decoding a content crop's
    own features and encoding the result gives nothing like them back."""
    with proved_once(
        CHAPTER, "an untrained handed in adain decoder fails the reconstruction bar", __file__
    ):
        master = (ROOT / "source" / CHAPTER / "adain.ipynb").read_text(encoding="utf-8")
        notebook = tmp_path / "adain.ipynb"
        notebook.write_text(master, encoding="utf-8")
        with_reference(
            CHAPTER,
            "adain",
            f"r.build_adain_decoder().save_weights(r'{tmp_path}/adain_decoder.weights.h5')\n",
        )
        settings = {"channels": 512, "pretrained": False}
        (tmp_path / "adain_decoder.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "adain", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "1 failed" in done.stdout, done.stdout[-2000:]
        assert "an untrained decoder gives tens" in done.stdout, done.stdout[-2000:]
