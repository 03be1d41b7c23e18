"""Do chapter 2's public checks fail wrong answers with a message that points at the fix?

What every chapter's public checks must do (cover the parts, pass the reference, fail the
untouched release) is asked in tests/test_public_checks.py.
"""

import pytest
from public_checks import ROOT, ChapterModules, run_part

CHAPTER = "ch02_vae"
MODULES = ChapterModules(CHAPTER)
ZOO = ROOT / "autograder" / CHAPTER / "mutants"


def test_missing_name_says_what_to_define(capsys):
    """Does a part whose class is missing ask the student to define it?"""
    passed, report = run_part(CHAPTER, "sampling_layer", {}, capsys)
    assert not passed
    assert "define `GaussianSampling` in the cell above" in report


# Zoo mutants (autograder/ch02_vae/mutants) that the public checks catch too, with a phrase
# the report must contain so that the student knows what to fix.
CAUGHT = {
    "train_step_not_compiled": "must return a tf.function",
    "means_from_logvar": "not logvar",
    "means_drop_last_batch": "including the last",
    "statistics_per_image": "one value per latent dimension",
    "statistics_variance": "standard deviation should be",
    "vectors_one_batch": "first batch only",
    "vectors_minus_overall_mean": "all other images",
    "vectors_swapped": "all other images",
    "edit_subtracts": "add sum_c strengths[c] * vectors[c]",
    "edit_ignores_strengths": "add sum_c strengths[c] * vectors[c]",
    "samples_variance_as_std": "mean + std * epsilon",
    "samples_from_prior": "mean + std * epsilon",
    "ae_encoder_relu_code": "never negative",
    "ae_encoder_stride_one": "parameters",
    "ae_encoder_valid_padding": "padding='same'",
    "ae_encoder_no_flatten": "should give codes (5, 2)",
    "ae_decoder_no_sigmoid": "sigmoid",
    "ae_decoder_wrong_strides": "(3, 28, 28, 1)",
    "ae_autoencoder_fresh_networks": "not from new ones",
    "grid_rows_bottom_up": "u[n - 1 - i]",
    "grid_transposed": "u[n - 1 - i]",
    "grid_misses_high": "u[n - 1 - i]",
    "sampling_sigma_exp_logvar": "exp(0.5 * logvar)",
    "sampling_noise_at_build": "noise drawn once in __init__ or build",
    "sampling_zero_noise": "exactly 0",
    "sampling_one_noise_per_batch": "same noise",
    "sampling_unseeded": "SeedGenerator(seed)",
    "kl_wrong_sign": "check the sign",
    "kl_mean_over_latent": "averaged over the latent dimensions",
    "kl_summed_over_batch": "summed over the batch",
    "kl_without_one": "should be 0",
    "networks_decoder_no_sigmoid": "sigmoid",
    "networks_one_head": "own Dense layer",
    "networks_decoder_wrong_strides": "(2, 28, 28, 1)",
    "loss_reconstruction_mean_over_pixels": "averaged over the pixels",
    "loss_reconstruction_summed_over_batch": "summed over the batch",
    "train_decoder_fed_mean": "that of the decoded mean",
    "train_samples_twice": "second draw",
    "train_decoder_only": "did not change",
    "prior_uniform": "standard normal prior",
    "interpolate_misses_the_end": "np.linspace(0, 1, steps)",
    "kl_per_image": "average them over the images",
    "loss_per_image": "average the per-image terms over the images",
    "train_forward_outside_tape": "inside `with tf.GradientTape() as tape:`",
    "prior_returns_tensor": "keras.ops.convert_to_numpy",
    "edit_in_place": "(in place)",
}


@pytest.mark.parametrize("mutant", sorted(CAUGHT))
def test_zoo_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    """Does each known wrong answer fail its part publicly, with a hint at the fix?"""
    from igcourse.grading.mutants import read_mutant

    path = ZOO / f"{mutant}.py"
    part = read_mutant(path).part
    namespace = MODULES.namespace(tmp_path, part, patch=path.read_text())
    passed, report = run_part(CHAPTER, part, namespace, capsys)
    assert not passed, report
    assert CAUGHT[mutant] in report, report
