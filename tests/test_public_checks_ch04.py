"""Do chapter 4's public checks fail wrong answers with a message that points at the fix?

The wrong answers are mutants of the zoo (autograder/ch04_image_translation/mutants), run on
top of the reference as a student's cell would be. What every chapter's public checks must do
(cover the parts, pass the reference, fail the untouched release) is asked in
tests/test_public_checks.py.
"""

import pytest
from hidden_checks import ROOT
from public_checks import ChapterModules, run_part

CHAPTER = "ch04_image_translation"
MODULES = ChapterModules(CHAPTER)
ZOO = ROOT / "autograder" / CHAPTER / "mutants"

# mutant: (part, a phrase the report must contain so that the student knows what to fix)
MUTANTS = {
    "gen_label_ignored": ("conditional_generator", "the labels must reach the network"),
    "gen_label_as_number": ("conditional_generator", "a label is a category, not a number"),
    "gen_sigmoid_output": ("conditional_generator", "end it with a tanh"),
    "gen_ten_classes_fixed": ("conditional_generator", "is not in [0, 10)"),
    "disc_label_ignored": ("conditional_discriminator", "the labels must reach the network"),
    "disc_label_value_channel": ("conditional_discriminator", "a label is a category"),
    "disc_sigmoid_output": ("conditional_discriminator", "without an activation"),
    "d_step_updates_generator": ("cgan_steps", "d_step changed the generator's weights"),
    "g_step_updates_discriminator": ("cgan_steps", "g_step changed the discriminator's weights"),
    "d_step_fakes_judged_with_real_labels": ("cgan_steps", "judged with its own labels"),
    "d_step_real_images_with_fake_labels": ("cgan_steps", "judged with its own labels"),
    "grid_labels_tiled": ("class_grid", "image c * C + j has label c"),
    "grid_noise_repeated": ("class_grid", "the same noise down each column"),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    part, phrase = MUTANTS[mutant]
    patch = (ZOO / f"{mutant}.py").read_text(encoding="utf-8")
    passed, report = run_part(CHAPTER, part, MODULES.namespace(tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report
