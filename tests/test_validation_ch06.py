"""Chapter 6 validated end to end (slow), and an untrained handed-in GauGAN generator fails.

The test runs `igcourse validate ch06_ai_painter`: the reference must score full marks, the
release and trivial answers zero, every answer set full marks, and every mutant must lose points
on its part with its mistake named. The questions every chapter answers are in
tests/test_chapters.py.
"""

import json

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import proved_once, run_or_skip

from igcourse.grading.validate import run_validation

CHAPTER = "ch06_ai_painter"


@pytest.mark.slow
def test_validation_of_chapter_6_passes():
    """Reference full marks, release zero, every mutant caught and named (skipped when proofs/
    records a pass for exactly this content)."""
    # A pytest run of half a notebook's mutants takes about 600 s when the machine is busy.
    run_or_skip(
        CHAPTER,
        "validate",
        lambda: run_validation(CHAPTER, ROOT, workers=2, timeout=1500),
        __file__,
    )


def test_an_untrained_handed_in_gaugan_generator_fails_both_bars(tmp_path):
    """The GauGAN master's code with an untrained generator beside it: the evaluator does not
    recognise the painted classes, and its items do not fill the painted masks."""
    with proved_once(CHAPTER, "an untrained handed in gaugan generator fails both bars", __file__):
        master = (ROOT / "source" / CHAPTER / "gaugan.ipynb").read_text(encoding="utf-8")
        notebook = tmp_path / "gaugan.ipynb"
        notebook.write_text(master, encoding="utf-8")
        settings = {
            "num_labels": 11,
            "z_dim": 64,
            "filters": 16,
            "image_size": 32,
            "channels": 1,
            "hidden": 32,
        }
        arguments = ", ".join(f"{key}={value}" for key, value in settings.items())
        with_reference(
            CHAPTER,
            "gaugan",
            f"r.build_gaugan_generator({arguments})"
            f".save_weights(r'{tmp_path}/gaugan_generator.weights.h5')\n",
        )
        (tmp_path / "gaugan_generator.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "gaugan", notebook, "painted", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed" in done.stdout, done.stdout[-2000:]
