"""Chapter 1 validated end to end (slow), and a handed-in model that is not trained fails.

The slow test runs `igcourse validate ch01_pixelcnn`: the reference must score full marks, the
release zero, and every mutant must lose points on its part with its mistake named; another
proves with `--expensive` that the training check fails on a wrong step. The questions every
chapter answers (checks and mutants for every part, probes only) are in
tests/test_chapters.py.
"""

import json
import shutil

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference

from igcourse.grading.validate import run_expensive_validation, run_validation

CHAPTER = "ch01_pixelcnn"


@pytest.mark.slow
def test_validation_of_chapter_1_passes(capsys):
    """Reference full marks, release zero, every mutant caught and named (a few minutes)."""
    code = run_validation(CHAPTER, ROOT, workers=2)
    out = capsys.readouterr().out
    assert code == 0, out


@pytest.mark.slow
def test_the_training_check_fails_on_a_step_that_ascends_the_loss(capsys):
    """`validate --expensive`: the training check runs on a mutant and fails (about 30 s)."""
    code = run_expensive_validation(CHAPTER, ROOT, only={"train_step_sign_error"})
    out = capsys.readouterr().out
    assert code == 0, out
    check = "test_training_beats_the_per_pixel_model"
    assert f"pixelcnn {check}: fails on 1 mutant(s): train_step_sign_error" in out, out


def test_an_untrained_handed_in_model_fails_the_threshold(tmp_path):
    """The master notebook's code with untrained weights beside it: too many bits/dim."""
    shutil.copyfile(ROOT / "source" / CHAPTER / "pixelcnn.ipynb", tmp_path / "pixelcnn.ipynb")
    with_reference(
        CHAPTER,
        "pixelcnn",
        "r.build_pixelcnn(filters=8, residual_blocks=1).save_weights("
        f"r'{tmp_path}/pixelcnn.weights.h5')\n",
    )
    (tmp_path / "pixelcnn.json").write_text(json.dumps({"filters": 8, "residual_blocks": 1}))
    done = run_hidden_checks(
        CHAPTER, "pixelcnn", tmp_path / "pixelcnn.ipynb", "handed_in", tmp_path
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert "bits/dim on 500 test images; the course asks for 0.250 or less" in done.stdout
