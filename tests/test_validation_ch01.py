"""Chapter 1 validated end to end (slow), and handed-in models that are not the model asked for
fail: an untrained one, and a trained one that sees the pixels it predicts.

The slow test runs `igcourse validate ch01_pixelcnn`: the reference must score full marks, the
release zero, and every mutant must lose points on its part with its mistake named; another
proves with `--expensive` that the training check fails on a wrong step. The questions every
chapter answers (checks and mutants for every part, probes only) are in
tests/test_chapters.py.
"""

import json
import shutil

import nbformat
import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import captured, proved_once, run_or_skip

from igcourse.grading.validate import run_expensive_validation, run_validation

CHAPTER = "ch01_pixelcnn"
# A causal_mask whose type A mask keeps the centre: every pixel sees itself.
SEES_ITSELF = """
def causal_mask(kernel_size, mask_type, in_channels=1, out_channels=1):
    centre = kernel_size // 2
    mask = np.zeros((kernel_size, kernel_size, in_channels, out_channels), dtype=np.float32)
    mask[:centre] = 1.0
    mask[centre, : centre + 1] = 1.0
    return mask
"""


@pytest.mark.slow
def test_validation_of_chapter_1_passes():
    """Reference full marks, release zero, every mutant caught and named (a few minutes; skipped
    when proofs/ records a pass for exactly this content)."""
    # A pytest run of half a notebook's mutants takes about 600 s when the machine is busy.
    run_or_skip(
        CHAPTER,
        "validate",
        lambda: run_validation(CHAPTER, ROOT, workers=2, timeout=1500),
        __file__,
    )


@pytest.mark.slow
def test_the_training_check_fails_on_a_step_that_ascends_the_loss():
    """`validate --expensive`: the training check runs on a mutant and fails (about 30 s)."""
    check = "test_training_beats_the_per_pixel_model"

    def proof():
        code, out = captured(
            lambda: run_expensive_validation(CHAPTER, ROOT, only={"train_step_sign_error"})
        )
        print(out)
        return code or f"pixelcnn {check}: fails on 1 mutant(s): train_step_sign_error" not in out

    run_or_skip(CHAPTER, "training-check", proof, __file__)


def test_an_untrained_handed_in_model_fails_the_threshold(tmp_path):
    """The master notebook's code with untrained weights beside it: too many bits/dim."""
    with proved_once(CHAPTER, "an untrained handed in model fails the threshold", __file__):
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
        assert "1 failed, 1 passed, 1 skipped" in done.stdout, done.stdout[-2000:]


def test_a_handed_in_model_that_sees_its_own_pixels_fails(tmp_path):
    """A model whose first mask keeps the centre, trained briefly (it learns to copy its input
    pixel), handed in with the code that builds it: not causal on real test images."""
    with proved_once(CHAPTER, "a handed in model that sees its own pixels fails", __file__):
        notebook = nbformat.read(ROOT / "source" / CHAPTER / "pixelcnn.ipynb", as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(SEES_ITSELF))
        nbformat.write(notebook, tmp_path / "pixelcnn.ipynb")
        with_reference(
            CHAPTER,
            "pixelcnn",
            "import numpy as np\n"
            + SEES_ITSELF.replace("def causal_mask", "def cheat")
            + "r.causal_mask = cheat\n"
            "from igcourse.data import load_fashion_mnist\n"
            "images = (load_fashion_mnist('train')[0][:2048] >= 128).astype('int32')[..., None]\n"
            "model = r.build_pixelcnn(filters=4, residual_blocks=1)\n"
            "step = r.make_train_step(model, keras.optimizers.Adam(3e-2))\n"
            "for start in range(0, 2048, 64):\n"
            "    step(images[start : start + 64])\n"
            f"model.save_weights(r'{tmp_path}/pixelcnn.weights.h5')\n",
        )
        (tmp_path / "pixelcnn.json").write_text(json.dumps({"filters": 4, "residual_blocks": 1}))
        done = run_hidden_checks(
            CHAPTER, "pixelcnn", tmp_path / "pixelcnn.ipynb", "handed_in", tmp_path
        )
        assert done.returncode == 1, done.stdout[-2000:]
        assert "Your handed-in PixelCNN is not causal" in done.stdout, done.stdout[-3000:]
        assert "it sees pixels it predicts (see the causality check)" in done.stdout
