"""Chapter 7 validated end to end (slow), and an untrained handed-in ProGAN generator fails.

The test runs `igcourse validate ch07_face_generation`: the reference must score full marks, the
release and trivial answers zero, every answer set full marks, and every mutant must lose points
on its part with its mistake named. The questions every chapter answers are in
tests/test_chapters.py.
"""

import json

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import proved_once, run_or_skip

from igcourse.grading.validate import run_validation

CHAPTER = "ch07_face_generation"


@pytest.mark.slow
def test_validation_of_chapter_7_passes():
    """Reference full marks, release zero, every mutant caught and named (skipped when proofs/
    records a pass for exactly this content)."""
    run_or_skip(
        CHAPTER,
        "validate",
        lambda: run_validation(CHAPTER, ROOT, workers=2, timeout=1500),
        __file__,
    )


def test_an_untrained_handed_in_progan_generator_fails_both_bars(tmp_path):
    """The ProGAN master's code with an untrained generator beside it: its items are far from
    real ones and cover few classes, though it is a grown ProGAN (that check passes)."""
    with proved_once(CHAPTER, "an untrained handed in progan generator fails both bars", __file__):
        master = (ROOT / "source" / CHAPTER / "progan.ipynb").read_text(encoding="utf-8")
        notebook = tmp_path / "progan.ipynb"
        notebook.write_text(master, encoding="utf-8")
        settings = {"latent_dim": 64, "filters": 16, "stage": 3}
        with_reference(
            CHAPTER,
            "progan",
            "r.build_trained_generator(64, 16, 3)"
            f".save_weights(r'{tmp_path}/progan_generator.weights.h5')\n",
        )
        (tmp_path / "progan_generator.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "progan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed, 1 passed" in done.stdout, done.stdout[-2000:]


def test_a_handed_in_progan_generator_of_an_earlier_stage_fails(tmp_path):
    """The ProGAN master's code with its generator saved at stage 2 (16 x 16): it is not the
    grown generator, and its items are not measured."""
    with proved_once(CHAPTER, "a handed in progan generator of stage 2 fails", __file__):
        master = (ROOT / "source" / CHAPTER / "progan.ipynb").read_text(encoding="utf-8")
        notebook = tmp_path / "progan.ipynb"
        notebook.write_text(master, encoding="utf-8")
        with_reference(
            CHAPTER,
            "progan",
            "r.build_trained_generator(64, 16, 2)"
            f".save_weights(r'{tmp_path}/progan_generator.weights.h5')\n",
        )
        settings = {"latent_dim": 64, "filters": 16, "stage": 2}
        (tmp_path / "progan_generator.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "progan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "3 failed" in done.stdout, done.stdout[-2000:]
        assert "saved at stage 2" in done.stdout, done.stdout[-2000:]
