"""Chapter 2 validated end to end (slow), and a handed-in VAE that is not trained fails.

The slow test runs `igcourse validate ch02_vae`: the reference must score full marks, the
release zero, and every mutant must lose points on its part with its mistake named. The
questions every chapter answers are in tests/test_chapters.py.
"""

import json
import shutil

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference

from igcourse.grading.validate import run_validation

CHAPTER = "ch02_vae"


@pytest.mark.slow
def test_validation_of_chapter_2_passes(capsys):
    """Reference full marks, release zero, every mutant caught and named (a few minutes)."""
    code = run_validation(CHAPTER, ROOT, workers=2)
    out = capsys.readouterr().out
    assert code == 0, out


def test_an_untrained_handed_in_vae_fails_the_thresholds(tmp_path):
    """The master notebook's code with untrained weights beside it: too high a negative ELBO."""
    shutil.copyfile(ROOT / "source" / CHAPTER / "vae.ipynb", tmp_path / "vae.ipynb")
    with_reference(
        CHAPTER,
        "vae",
        f"r.build_encoder(16, 8).save_weights(r'{tmp_path}/vae_encoder.weights.h5')\n"
        f"r.build_decoder(16, 8).save_weights(r'{tmp_path}/vae_decoder.weights.h5')\n",
    )
    (tmp_path / "vae.json").write_text(json.dumps({"latent_dim": 16, "filters": 8}))
    done = run_hidden_checks(CHAPTER, "vae", tmp_path / "vae.ipynb", "handed_in", tmp_path)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "nats per image on 1000 test images; the course asks for 280.0 or less" in done.stdout
