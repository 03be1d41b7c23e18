"""Chapter 2 validated end to end (slow), and handed-in VAEs that are not trained, or whose
decoder was not trained with their encoder, fail the trained_vae part with a clear message.

The slow test runs `igcourse validate ch02_vae`: the reference must score full marks, the
release and trivial answers zero, every mutant must lose points on its part with its mistake
named, and every independent answer set must score full marks. The questions every chapter
answers are in tests/test_chapters.py.
"""

import json
import re
import shutil

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import proved_once, run_or_skip

from igcourse.grading.validate import run_validation

CHAPTER = "ch02_vae"


@pytest.mark.slow
def test_validation_of_chapter_2_passes():
    """Reference full marks, release zero, every mutant caught and named (a few minutes; skipped
    when proofs/ records a pass for exactly this content)."""
    # A pytest run of half a notebook's mutants takes about 600 s when the machine is busy.
    run_or_skip(
        CHAPTER,
        "validate",
        lambda: run_validation(CHAPTER, ROOT, workers=2, timeout=1500),
        __file__,
    )


def test_an_untrained_handed_in_vae_fails_the_thresholds(tmp_path):
    """The master notebook's code with untrained weights beside it: too high a negative ELBO."""
    with proved_once(CHAPTER, "an untrained handed in vae fails the thresholds", __file__):
        shutil.copyfile(ROOT / "source" / CHAPTER / "vae.ipynb", tmp_path / "vae.ipynb")
        with_reference(
            CHAPTER,
            "vae",
            f"r.build_encoder(16, 8).save_weights(r'{tmp_path}/vae_encoder.weights.h5')\n"
            f"r.build_decoder(16, 8).save_weights(r'{tmp_path}/vae_decoder.weights.h5')\n",
        )
        (tmp_path / "vae.json").write_text(json.dumps({"latent_dim": 16, "filters": 8}))
        done = run_hidden_checks(CHAPTER, "vae", tmp_path / "vae.ipynb", "handed_in_vae", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert (
            "nats per image on 1000 test images; the course asks for 280.0 or less" in done.stdout
        )


def test_a_decoder_not_trained_with_its_encoder_is_named(tmp_path):
    """The reference's trained encoder handed in with a fresh decoder: the pairing check says
    that the decoder does not reconstruct what the encoder encodes."""
    with proved_once(CHAPTER, "a decoder not trained with its encoder is named", __file__):
        shutil.copyfile(ROOT / "source" / CHAPTER / "vae.ipynb", tmp_path / "vae.ipynb")
        for name in ("vae.json", "vae_encoder.weights.h5"):
            shutil.copyfile(ROOT / "solutions" / CHAPTER / name, tmp_path / name)
        settings = json.loads((tmp_path / "vae.json").read_text())
        with_reference(
            CHAPTER,
            "vae",
            f"r.build_decoder({settings['latent_dim']}, {settings['filters']})"
            f".save_weights(r'{tmp_path}/vae_decoder.weights.h5')\n",
        )
        done = run_hidden_checks(CHAPTER, "vae", tmp_path / "vae.ipynb", "trained_with", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "does not reconstruct what your encoder encodes" in done.stdout


PREALLOCATING_GENERATION = '''
def sample_prior(decoder, n, seed=0):
    """Decode n codes drawn from N(0, I) with keras.random.normal(seed=seed): (n, 28, 28, 1)."""
    z = keras.ops.convert_to_numpy(keras.random.normal((n, decoder.input_shape[-1]), seed=seed))
    images = np.empty((n, 28, 28, 1), dtype="float32")  # the shape the task promises
    for first in range(0, n, 256):
        images[first : first + 256] = keras.ops.convert_to_numpy(
            decoder(z[first : first + 256], training=False)
        )
    return images


def interpolate(encoder, decoder, image_a, image_b, steps=8):
    """Decode (1 - t) * mean_a + t * mean_b for t = 0, ..., 1 (steps values): (steps, 28, 28, 1)."""
    mean = keras.ops.convert_to_numpy(encoder(np.stack([image_a, image_b]), training=False)[0])
    images = np.empty((steps, 28, 28, 1), dtype="float32")
    for i, t in enumerate(np.linspace(0.0, 1.0, steps)):
        code = ((1 - t) * mean[0] + t * mean[1])[None].astype("float32")
        images[i] = keras.ops.convert_to_numpy(decoder(code, training=False))[0]
    return images
'''


def test_correct_generation_that_preallocates_images_scores_full_marks(tmp_path):
    """The probes' decoders honour the task's contract (images (B, 28, 28, 1)), so correct code
    that fills a preallocated (n, 28, 28, 1) array is not failed."""
    with proved_once(
        CHAPTER, "correct generation that preallocates images scores full marks", __file__
    ):
        notebook = json.loads((ROOT / "source" / CHAPTER / "vae.ipynb").read_text())
        for cell in notebook["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "generation":
                cell["source"] = PREALLOCATING_GENERATION
        (tmp_path / "vae.ipynb").write_text(json.dumps(notebook))
        done = run_hidden_checks(
            CHAPTER, "vae", tmp_path / "vae.ipynb", "sample_prior or interpolation", tmp_path
        )
        assert done.returncode == 0, done.stdout[-3000:]
        passed = re.search(r"(\d+) passed", done.stdout)  # the sampling checks ran, none skipped
        assert passed and int(passed.group(1)) >= 2, done.stdout[-3000:]
