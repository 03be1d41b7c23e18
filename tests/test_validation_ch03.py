"""Chapter 3 validated end to end (slow), and handed-in generators that must fail do.

The slow test runs `igcourse validate ch03_gan`: the reference must score full marks, the
release and trivial answers zero, every answer set full marks, and every mutant must lose
points on its part with its mistake named; two more prove with `--expensive` that the ring demo
check and the training-step check fail on wrong answers. The fast ones hand in an untrained
generator, and one that returns real test images once its weights are loaded (it copies no
training image). The questions every chapter answers are in tests/test_chapters.py.
"""

import json
import shutil

import pytest
from hidden_checks import ROOT, run_hidden_checks, with_reference
from proved import captured, proved_once, run_or_skip

from igcourse.grading.validate import run_expensive_validation, run_validation

CHAPTER = "ch03_gan"


@pytest.mark.slow
def test_validation_of_chapter_3_passes():
    """Reference full marks, release zero, every mutant caught and named (a few minutes; skipped
    when proofs/ records a pass for exactly this content)."""
    run_or_skip(CHAPTER, "validate", lambda: run_validation(CHAPTER, ROOT, workers=2), __file__)


RING = "test_the_ring_demo_tells_collapse_from_coverage"


@pytest.mark.slow
def test_the_ring_demo_check_is_proved_only_by_a_mutant_it_fails_on():
    """`validate --expensive`: the ring demo fails on a count of samples (not of modes), and
    passes a squared distance, which on the ring still tells 1 mode from 8 (about a minute)."""

    def proof():
        both = {"coverage_counts_samples", "coverage_squared_distance"}
        code, out = captured(lambda: run_expensive_validation(CHAPTER, ROOT, only=both))
        squared = {"coverage_squared_distance"}
        alone, alone_out = captured(lambda: run_expensive_validation(CHAPTER, ROOT, only=squared))
        print(out, alone_out)
        return not (
            code == 0
            and f"mode_collapse {RING}: fails on 1 mutant(s): coverage_counts_samples" in out
            and "dcgan" not in out  # only the named mutants' notebook ran
            and alone == 1
            and f"the expensive check {RING} failed on none of the 1 mutants run" in alone_out
        )

    run_or_skip(CHAPTER, "ring-demo-check", proof, __file__)


@pytest.mark.slow
def test_the_dcgan_training_check_fails_on_a_step_that_forgets_its_update():
    """`validate --expensive`: 300 seeded steps of a small GAN whose generator step applies no
    update do not lower the Frechet distance enough (about a minute)."""
    check = "test_training_lowers_the_frechet_distance"

    def proof():
        only = {"g_step_forgets_the_update"}
        code, out = captured(lambda: run_expensive_validation(CHAPTER, ROOT, only=only))
        print(out)
        return code or f"dcgan {check}: fails on 1 mutant(s): g_step_forgets_the_update" not in out

    run_or_skip(CHAPTER, "training-check", proof, __file__)


def test_an_untrained_handed_in_generator_fails_the_threshold(tmp_path):
    """The master notebook's code with an untrained generator beside it: too far from real."""
    with proved_once(CHAPTER, "an untrained handed in generator fails the threshold", __file__):
        shutil.copyfile(ROOT / "source" / CHAPTER / "dcgan.ipynb", tmp_path / "dcgan.ipynb")
        with_reference(
            CHAPTER,
            "dcgan",
            f"r.build_generator(100, 32).save_weights(r'{tmp_path}/dcgan_generator.weights.h5')\n",
        )
        (tmp_path / "dcgan_generator.json").write_text(json.dumps({"z_dim": 100, "filters": 32}))
        done = run_hidden_checks(CHAPTER, "dcgan", tmp_path / "dcgan.ipynb", "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "the course asks for 200.0 or less" in done.stdout, done.stdout[-2000:]


def test_a_generator_that_returns_test_images_fails_the_copy_check(tmp_path):
    """The master notebook's code, with a build_generator whose model returns real test images
    once its weights are loaded, and the reference's trained weights beside it: every check of
    the handed-in generator fails, naming the copies of test images."""
    with proved_once(
        CHAPTER, "a generator that returns test images fails the copy check", __file__
    ):
        master = json.loads((ROOT / "source" / CHAPTER / "dcgan.ipynb").read_text(encoding="utf-8"))
        cheat = ROOT / "autograder" / CHAPTER / "mutants" / "generator_returns_test_images.py"
        master["cells"].append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "cheat",
                "metadata": {},
                "outputs": [],
                "source": cheat.read_text(encoding="utf-8"),
            }
        )
        (tmp_path / "dcgan.ipynb").write_text(json.dumps(master), encoding="utf-8")
        for name in ("dcgan_generator.weights.h5", "dcgan_generator.json"):
            shutil.copyfile(ROOT / "solutions" / CHAPTER / name, tmp_path / name)
        done = run_hidden_checks(CHAPTER, "dcgan", tmp_path / "dcgan.ipynb", "handed_in", tmp_path)
        assert done.returncode == 1, done.stdout[-2000:]
        assert "3 failed" in done.stdout, done.stdout[-2000:]
        assert "of test images; the course allows" in done.stdout, done.stdout[-2000:]
