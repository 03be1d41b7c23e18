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
    # pix2pix.ipynb
    "p2p_encoder_keeps_bias": ("unet_blocks", "a 4 x 4 convolution without bias (240)"),
    "p2p_decoder_skip_first": ("unet_blocks", "in that order"),
    "p2p_decoder_relu_before_norm": ("unet_blocks", "end them with a ReLU"),
    "p2p_unet_sigmoid_output": ("unet", "end it with a tanh"),
    "p2p_unet_first_block_normalised": ("unet", "normalize=False in the first encoder block only"),
    "p2p_patch_target_only": ("patch_discriminator", "concatenate both images of the pair"),
    "p2p_patch_instance_norm": ("patch_discriminator", "no normalisation or Dense layer"),
    "p2p_patch_sigmoid": ("patch_discriminator", "without an activation"),
    "p2p_g_loss_without_l1": ("pix2pix_losses", "the L1 term"),
    "p2p_d_loss_labels_swapped": ("pix2pix_losses", "mean BCE(1, real)"),
    "p2p_jitter_separate_crops": ("random_jitter", "use the same crop offset"),
    "p2p_jitter_never_flips": ("random_jitter", "flip left to right with probability 1/2"),
    "p2p_jitter_flip_channels": ("random_jitter", "something swapped the two images of the pair"),
    "p2p_step_l1_to_the_input": ("pix2pix_step", "pass the targets (not the inputs)"),
    "p2p_step_fake_pair_reversed": ("pix2pix_step", "D judges pairs"),
    # cyclegan.ipynb
    "cg_block_without_skip": ("resnet_generator", "add x to the branch's output"),
    "cg_block_relu_after_add": ("resnet_generator", "no activation after the sum"),
    "cg_generator_three_blocks_always": ("resnet_generator", "`blocks` residual blocks"),
    "cg_generator_without_tanh": ("resnet_generator", "end it with a tanh"),
    "cg_lsgan_d_not_halved": ("lsgan_losses", "0.5 * (mean (real - 1)^2 + mean fake^2)"),
    "cg_lsgan_generator_target_zero": ("lsgan_losses", "mean (fake - 1)^2"),
    "cg_identity_reversed": ("cycle_objective", "with identity_weight 3, the identity term"),
    "cg_cycle_one_direction": ("cycle_objective", "with cycle_weight 2, the cycle term too"),
    "cg_objective_fakes_swapped": ("cycle_objective", "fake_a = g_ba(real_b)"),
    "cg_pool_never_returns_history": ("image_pool", "expected about 50%"),
    "cg_pool_always_history": ("image_pool", "expected about 50%"),
    "cg_g_step_updates_g_ab_only": ("cyclegan_steps", "must change g_ab and g_ba only"),
    "cg_g_step_updates_discriminators_too": ("cyclegan_steps", "must change g_ab and g_ba only"),
    "cg_d_step_loss_a_only": ("cyclegan_steps", "must change d_a and d_b only"),
    "cg_d_step_fakes_swapped": ("cyclegan_steps", "d_a judges real_a and fake_a"),
    # bicyclegan.ipynb
    "bg_encoder_one_head": ("latent_encoder", "two Dense layers of z_dim units"),
    "bg_encoder_flatten": ("latent_encoder", "global average pooling"),
    "bg_sample_std_is_exp_log_var": ("latent_encoder", "the standard deviation being exp"),
    "bg_tile_multiplies_channels": ("latent_injection", "(B, height, width, z_dim)"),
    "bg_join_code_first": ("latent_injection", "the image's channels first"),
    "bg_kl_wrong_sign": ("bicycle_losses", "then the mean over the batch"),
    "bg_kl_summed_over_batch": ("bicycle_losses", "then the mean over the batch"),
    "bg_latent_squared": ("bicycle_losses", "mean |z - mu|"),
    "bg_steps_latent_updates_encoder": ("bicycle_steps", "never the encoder"),
    "bg_steps_encoder_not_updated": ("bicycle_steps", "the generator and the encoder"),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_fails_with_a_hint(mutant, tmp_path, capsys):
    part, phrase = MUTANTS[mutant]
    patch = (ZOO / f"{mutant}.py").read_text(encoding="utf-8")
    passed, report = run_part(CHAPTER, part, MODULES.namespace(tmp_path, part, patch=patch), capsys)
    assert not passed, report
    assert phrase in report, report
