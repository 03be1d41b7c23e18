"""Chapter 7 validated end to end (slow), and wrong handed-in ProGAN and StyleGAN networks fail.

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


def test_an_untrained_handed_in_stylegan_fails_both_bars(tmp_path):
    """The StyleGAN master's code with untrained networks beside it: their items are far from
    real ones and cover few classes, though they are a StyleGAN (that check passes)."""
    with proved_once(CHAPTER, "an untrained handed in stylegan fails both bars", __file__):
        master = (ROOT / "source" / CHAPTER / "stylegan.ipynb").read_text(encoding="utf-8")
        notebook = tmp_path / "stylegan.ipynb"
        notebook.write_text(master, encoding="utf-8")
        with_reference(
            CHAPTER,
            "stylegan",
            "r.build_trained_stylegan(64, 32, 4)"
            f".save_weights(r'{tmp_path}/stylegan.weights.h5')\n",
        )
        settings = {"latent_dim": 64, "filters": 32, "mapping_layers": 4}
        (tmp_path / "stylegan.json").write_text(json.dumps(settings))
        done = run_hidden_checks(CHAPTER, "stylegan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "2 failed, 1 passed" in done.stdout, done.stdout[-2000:]


def test_a_handed_in_stylegan_with_one_style_for_all_layers_fails(tmp_path):
    """The reference's trained weights, handed in with a notebook whose synthesis network gives
    every layer ws[:, 0] (the book's style-index bug): not the StyleGAN asked for."""
    with proved_once(CHAPTER, "a handed in stylegan with one style for all layers fails", __file__):
        master = (ROOT / "source" / CHAPTER / "stylegan.ipynb").read_text(encoding="utf-8")
        wrong = master.replace("self.adains[i](x, ws[:, i])", "self.adains[i](x, ws[:, 0])")
        assert wrong != master
        notebook = tmp_path / "stylegan.ipynb"
        notebook.write_text(wrong, encoding="utf-8")
        for name in ("stylegan.weights.h5", "stylegan.json"):
            (tmp_path / name).write_bytes((ROOT / "solutions" / CHAPTER / name).read_bytes())
        done = run_hidden_checks(CHAPTER, "stylegan", notebook, "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "does not use the styles of layers [1, 2, 3, 4, 5, 6, 7]" in done.stdout, (
            done.stdout[-2000:]
        )
