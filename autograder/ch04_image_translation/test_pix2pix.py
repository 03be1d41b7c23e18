"""Hidden checks of pix2pix: the U-Net's blocks and whole, the PatchGAN, the losses, the jitter,
the training step and the trained generator.

Every check gets its values through a probe (probes_pix2pix.py) and judges them here, against
the reference's values or the mathematics. The step runs on tiny networks built in the probe
with stand-in losses (probes_pix2pix.STAND_INS). Sizes differ from the notebook's (5 filters,
2 channels), so a network must be built from its arguments.
"""

from pathlib import Path

import numpy as np
import probes_pix2pix as probes
import pytest

from igcourse.checks import error_words
from igcourse.grading import steptrace
from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "unet_blocks": ["encoder_block", "decoder_block"],
    "unet": ["build_unet"],
    "patch_discriminator": ["build_patch_discriminator"],
    "pix2pix_losses": ["discriminator_loss", "generator_loss"],
    "random_jitter": ["random_jitter"],
    "pix2pix_step": ["make_pix2pix_step"],
    "trained_pix2pix": [],  # handed in: graded from the files beside the notebook
}

test_public_checks = public_checks_test("ch04_image_translation", PART_NAMES, probes)

FILTERS, CHANNELS = 5, 2  # not the notebook's 16 and 1
SEED = 3
# Instance norm makes a block's output the same for 100 x and 1000 x its input (so large that
# the epsilon does not count, whatever the initial weights): the reference differs by about
# 1e-6 of its range; a block without normalisation by 9 parts in 10.
NORMALISED_TOLERANCE = 0.01
# A channel's mean over the image after instance norm and LeakyReLU(0.2) (median over images
# and channels, training mode, 4 seeds): 0.32 to 0.335 on the reference and eight independent
# answer sets; with the norm after the activation 0 (to float error).
ACTIVATED_MEAN_MIN = 0.05

TRAINED_WEIGHTS = "pix2pix_generator.weights.h5"  # saved by the notebook after its training
TRAINED_SETTINGS = "pix2pix_generator.json"  # the build_unet arguments of that run
HANDED_IN_PAIRS = 1000


def _first_difference(got, expected, keys):
    """The first call (index, key, got, expected) where two lists of call records differ."""
    for index, (g, e) in enumerate(zip(got, expected, strict=False)):
        for key in keys:
            if g.get(key) != e.get(key):
                return index, key, g.get(key), e.get(key)
    return None


# ---------------------------------------------------------------- unet_blocks
@pytest.fixture(scope="module")
def encoder(submission, reference):
    value = submission.probe("unet_blocks", probes.encoder_facts, SEED)
    return value, reference.probe("unet_blocks", probes.encoder_facts, SEED)


@pytest.fixture(scope="module")
def decoder(submission, reference):
    value = submission.probe("unet_blocks", probes.decoder_facts, SEED)
    return value, reference.probe("unet_blocks", probes.decoder_facts, SEED)


@pytest.mark.property
@pytest.mark.part("unet_blocks")
def test_the_blocks_halve_and_double_the_size(submission, encoder, decoder):
    """Do the blocks give the shapes of the table?"""
    for value, expected, call in (
        (encoder[0], encoder[1], "encoder_block(input (B, 8, 8, 3), 5)"),
        (decoder[0], decoder[1], "decoder_block(x (B, 4, 4, 6), skip (B, 8, 8, 3), 5)"),
    ):
        for flag in ("True", "False"):
            got = value.get(f"shape_{flag}")
            want = expected[f"shape_{flag}"]
            check(
                got == want,
                _("{call} gives outputs of shape (B, {got}), expected (B, {want}).").format(
                    call=call, got=", ".join(map(str, got or [])), want=", ".join(map(str, want))
                ),
            )


@pytest.mark.part("unet_blocks")
def test_the_encoder_block_has_no_bias_and_normalises_when_asked(submission, encoder):
    """A convolution without bias, then instance norm only when normalize=True?"""
    value, expected = encoder
    check(
        value["params_False"] == expected["params_False"],
        _(
            "encoder_block(..., 5, normalize=False) on 3 channels has {got} parameters, "
            "expected {want}: one 4 x 4 convolution without bias (4 * 4 * 3 * 5) and nothing "
            "else with weights."
        ).format(got=value["params_False"], want=expected["params_False"]),
    )
    check(
        value["scaled_error"] < 1e-4,
        _(
            "encoder_block(..., normalize=False) is not positively homogeneous: a 10 times "
            "larger input gives an output {error:.1%} away from 10 times the output. Without "
            "normalisation it is a convolution without bias and a LeakyReLU: leave out the "
            "bias (use_bias=False) and the normalisation when normalize=False."
        ).format(error=value["scaled_error"]),
    )
    check(
        value["batch_error"] < 1e-4,
        _(
            "encoder_block(..., normalize=True) gives an image another output alone than in a "
            "batch of 4 (training mode): that is batch normalisation. Instance normalisation "
            "normalises each image on its own: GroupNormalization(groups=-1)."
        ),
    )
    check(
        value["invariance_error"] < NORMALISED_TOLERANCE,
        _(
            "encoder_block(..., normalize=True) gives an output {error:.1%} away when its input "
            "is 10 times larger (100 x against 1000 x): normalise between the convolution and "
            "the LeakyReLU (instance_norm())."
        ).format(error=value["invariance_error"]),
    )
    check(
        value["params_True"] == expected["params_True"],
        _(
            "encoder_block(..., 5, normalize=True) on 3 channels has {got} parameters, "
            "expected {want}: the convolution's 240 and the instance norm's scale and offset "
            "per channel (10)."
        ).format(got=value["params_True"], want=expected["params_True"]),
    )


@pytest.mark.part("unet_blocks")
def test_the_encoder_block_normalises_before_its_activation(submission, encoder):
    """Convolution, instance norm, then the LeakyReLU (not the LeakyReLU, then the norm)?"""
    value, expected = encoder
    check(
        value["channel_mean"] > ACTIVATED_MEAN_MIN,
        _(
            "encoder_block(..., normalize=True) gives its channels a median mean of {mean:.3f} "
            "over the image (training mode); normalised and then passed through LeakyReLU(0.2) "
            "they average {want:.3f}, since the activation shrinks the negative half: the "
            "normalisation comes after the activation in your block. Normalise the "
            "convolution's output, then apply the LeakyReLU."
        ).format(mean=value["channel_mean"], want=expected["channel_mean"]),
    )


@pytest.mark.part("unet_blocks")
def test_the_encoder_block_ends_in_a_leaky_relu_of_slope_0_2(submission, encoder):
    """Is the encoder's activation a LeakyReLU with slope 0.2?"""
    value, _expected = encoder
    slope = value["slope"]
    check(
        slope is not None and abs(slope - 0.2) < 0.01,
        _(
            "encoder_block's activation lets negative values through with slope {slope}, "
            "expected 0.2: LeakyReLU(0.2) (Keras's default slope is 0.3)."
        ).format(slope="none" if slope is None else f"{slope:.3f}"),
    )


@pytest.mark.part("unet_blocks")
def test_the_decoder_block_joins_the_skip_after_its_own_channels(submission, decoder):
    """Are the last channels the skip itself, the first ones ReLU outputs?"""
    value, _expected = decoder
    check(
        "skip_error" in value and value["skip_error"] < 1e-6,
        _(
            "The last 3 channels of decoder_block(x, skip (B, 8, 8, 3), 5) are not the skip "
            "itself: concatenate [the block's own output, skip] on the last axis, in that "
            "order, and do nothing to the skip."
        ),
    )
    check(
        value["own_min"] >= 0.0,
        _(
            "decoder_block's own 5 channels go down to {low:.3f}: end them with a ReLU, before "
            "the concatenation."
        ).format(low=value["own_min"]),
    )


@pytest.mark.part("unet_blocks")
def test_the_decoder_block_normalises_each_image(submission, decoder):
    """Instance norm after the transposed convolution, and the table's weights?"""
    value, expected = decoder
    check(
        value["params_False"] == expected["params_False"],
        _(
            "decoder_block(x (B, 4, 4, 6), skip, 5) has {got} parameters, expected {want}: a "
            "4 x 4 transposed convolution without bias (4 * 4 * 6 * 5) and the instance norm's "
            "scale and offset (10)."
        ).format(got=value["params_False"], want=expected["params_False"]),
    )
    check(
        value["invariance_error"] < NORMALISED_TOLERANCE and value["batch_error"] < 1e-4,
        _(
            "decoder_block's own channels are not instance-normalised: a 10 times larger x (100 x "
            "against 1000 x) moves them by {error:.1%}, and an image alone gets {batch:.1%} "
            "another output than in a batch. Put instance_norm() (GroupNormalization(groups=-1)) "
            "after the transposed convolution."
        ).format(error=value["invariance_error"], batch=value["batch_error"]),
    )


@pytest.mark.part("unet_blocks")
def test_the_decoder_block_drops_out_only_when_asked_and_in_training(submission, decoder):
    """Dropout with dropout=True in training mode, and nowhere else?"""
    value, _expected = decoder
    check(
        value["repeat_error"] < 1e-6,
        _(
            "decoder_block(..., dropout=False) gives two different outputs for the same input "
            "in training mode: it must not drop anything when dropout=False."
        ),
    )
    check(
        value["dropout_training_differs"],
        _(
            "decoder_block(..., dropout=True) gives the same output twice in training mode: add "
            "Dropout(0.5) after the instance norm when dropout=True."
        ),
    )
    check(
        not value["dropout_inference_differs"],
        _(
            "decoder_block(..., dropout=True) gives two different outputs in inference mode: "
            "use a keras.layers.Dropout layer, which is active in training only."
        ),
    )


# ---------------------------------------------------------------- unet
@pytest.fixture(scope="module")
def unet(submission, reference):
    value = submission.probe("unet", probes.unet_facts, FILTERS, CHANNELS, SEED)
    return value, reference.probe("unet", probes.unet_facts, FILTERS, CHANNELS, SEED)


@pytest.mark.property
@pytest.mark.part("unet")
def test_the_unet_keeps_the_image_size(submission, unet):
    """Does build_unet(5, 2) map (2, 32, 32, 2) to the same shape?"""
    value, expected = unet
    check(
        value["shape"] == expected["shape"],
        _("build_unet(5, 2) maps images of shape (2, 32, 32, 2) to {got}, expected {want}.").format(
            got=tuple(value["shape"]), want=tuple(expected["shape"])
        ),
    )


def _blocks_or_fail(value):
    if value["encoders"] is None or not value["decoders"]:
        fail(
            _(
                "build_unet does not build the U-Net from encoder_block and decoder_block (no "
                "call of decoder_block was seen): build it from your two blocks, as the table "
                "says; the checks follow the skip connections through them."
            )
        )


@pytest.mark.part("unet")
def test_the_unet_calls_the_blocks_of_the_table(submission, unet):
    """Four encoder blocks and three decoder blocks, with the table's filters and flags?"""
    value, expected = unet
    _blocks_or_fail(value)
    for kind, keys in (
        ("encoders", ("filters", "normalize")),
        ("decoders", ("filters", "dropout")),
    ):
        got, want = value[kind], expected[kind]
        block = "encoder_block" if kind == "encoders" else "decoder_block"
        check(
            len(got) == len(want),
            _("build_unet(5, 2) calls {block} {got} times, the table {want} times.").format(
                block=block, got=len(got), want=len(want)
            ),
        )
        difference = _first_difference(got, want, keys)
        check(
            difference is None,
            _(
                "Call {index} of {block} in build_unet(5, 2) has {key}={got}, the table asks "
                "for {key}={want} (filters 5, 10, 20, 20 down; 20, 10, 5 up; no normalisation "
                "in the first encoder block; dropout in the two innermost decoder blocks only)."
            ).format(
                index=difference[0] + 1 if difference else 0,
                block=block,
                key=difference[1] if difference else "",
                got=difference[2] if difference else "",
                want=difference[3] if difference else "",
            ),
        )


@pytest.mark.part("unet")
def test_every_skip_connection_joins_its_level_and_carries_gradient(submission, unet):
    """Does each decoder block get the encoder output of its size, and does gradient reach it?"""
    value, expected = unet
    _blocks_or_fail(value)
    for index, (got, want) in enumerate(zip(value["decoders"], expected["decoders"], strict=False)):
        check(
            got["skip"] == want["skip"],
            _(
                "Decoder block {index} gets as its skip {got}, expected the output of encoder "
                "block {want} (the encoder's map of the same size): e3, e2, e1 in that order."
            ).format(
                index=index + 1,
                got=_("something that is not an encoder block's output")
                if got["skip"] is None
                else _("the output of encoder block {n}").format(n=got["skip"] + 1),
                want=want["skip"] + 1,
            ),
        )
    for index, norm in enumerate(value["skip_gradients"]):
        check(
            norm > 0,
            _(
                "No gradient flows from the U-Net's output back to the skip connection of "
                "decoder block {index}: the skip must reach the output (concatenated in "
                "decoder_block, and the result used by the next layer)."
            ).format(index=index + 1),
        )


@pytest.mark.part("unet")
def test_the_unet_has_the_tables_widths_and_a_tanh(submission, unet):
    """The reference's parameter count, a tanh output and dropout in training only?"""
    value, expected = unet
    check(
        value["params"] == expected["params"],
        _(
            "build_unet(5, 2) has {got:,} parameters, the table gives {want:,}: check each "
            "block's filters and the last transposed convolution ({channels} filters, with bias)."
        ).format(got=value["params"], want=expected["params"], channels=CHANNELS),
    )
    check(
        value["scaled_min"] >= -1.0 - 1e-6
        and value["scaled_max"] <= 1.0 + 1e-6
        and value["scaled_min"] < -0.5,
        _(
            "With large weights the U-Net's pixels range from {low:.3f} to {high:.3f}: end it "
            "with a tanh, so that images lie in [-1, 1] like the data."
        ).format(low=value["scaled_min"], high=value["scaled_max"]),
    )
    check(
        value["deterministic"] and value["stochastic"],
        _(
            "The U-Net's dropout is wrong: in inference mode two calls must agree (they "
            "{inference}), in training mode they must differ (they {training})."
        ).format(
            inference=_("agree") if value["deterministic"] else _("differ"),
            training=_("differ") if value["stochastic"] else _("agree"),
        ),
    )


# ---------------------------------------------------------------- patch_discriminator
PATCH_CELLS = [(4, 4), (1, 6)]


@pytest.fixture(scope="module")
def patch(submission, reference):
    args = (FILTERS, CHANNELS, PATCH_CELLS, SEED)
    value = submission.probe("patch_discriminator", probes.patch_facts, *args)
    return value, reference.probe("patch_discriminator", probes.patch_facts, *args)


@pytest.mark.property
@pytest.mark.part("patch_discriminator")
def test_the_patchgan_outputs_a_grid_of_logits(submission, patch):
    """Is the output (2, 8, 8, 1) for a pair of (2, 32, 32, 2) batches?"""
    value, expected = patch
    check(
        value["shape"] == expected["shape"],
        _(
            "build_patch_discriminator(5, 2) maps a pair of (2, 32, 32, 2) batches to {got}, "
            "expected {want}: one logit per patch."
        ).format(got=tuple(value["shape"]), want=tuple(expected["shape"])),
    )


@pytest.mark.part("patch_discriminator")
def test_each_cell_sees_its_patch_of_both_images(submission, patch):
    """Does each cell's logit have gradients from exactly its 22 x 22 patch of input and target?"""
    value, expected = patch
    check(
        "windows" in value,
        _("The PatchGAN's output is not a grid with the cells {cells}.").format(cells=PATCH_CELLS),
    )
    for cell, got, want in zip(PATCH_CELLS, value["windows"], expected["windows"], strict=True):
        for name, window, wanted in zip(("input", "target"), got, want, strict=True):
            check(
                window is not None,
                _(
                    "Cell {cell} of the PatchGAN's output does not depend on the {name} image "
                    "at all: D judges the pair, so concatenate input and target first."
                ).format(cell=tuple(cell), name=name),
            )
            check(
                window == wanted,
                _(
                    "Cell {cell} of the PatchGAN's output sees rows {r0} to {r1} and columns "
                    "{c0} to {c1} of the {name} image, expected rows {w0} to {w1} and columns "
                    "{w2} to {w3} (a 22 x 22 patch). Use three 4 x 4 convolutions with same "
                    "padding and strides 2, 2, 1, and no normalisation or Dense layer (they let "
                    "every cell see the whole image)."
                ).format(
                    cell=tuple(cell),
                    name=name,
                    **dict(zip(("r0", "r1", "c0", "c1"), window, strict=True)),
                    **dict(zip(("w0", "w1", "w2", "w3"), wanted, strict=True)),
                ),
            )


@pytest.mark.part("patch_discriminator")
def test_the_patchgan_activations_are_leaky_relus_of_slope_0_2(submission, patch):
    """With weights that make every pre-activation negative, are the logits the table's?"""
    value, expected = patch
    got, want = value.get("fixed_output"), expected["fixed_output"]
    if got is None:
        return  # not three convolutions with biases: the parameter count says so
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape or np.allclose(got, want, rtol=1e-4, atol=1e-7):
        return
    if np.allclose(got, 0.0, atol=1e-9):
        cause = _(
            "they are all 0, so an activation cuts negative values to zero (a ReLU?): use "
            "LeakyReLU(0.2) after the first two convolutions."
        )
    elif np.allclose(got, want * 2.25, rtol=1e-3):
        cause = _(
            "they are 2.25 times the table's, as two LeakyReLUs of slope 0.3 (Keras's default) "
            "give: use LeakyReLU(0.2)."
        )
    else:
        cause = _("check the table's layers and activations, in order.")
    fail(
        _(
            "With weights the check sets (first kernel -0.05, the others +0.05, no bias), "
            "every pre-activation is negative and the PatchGAN's logits on a pair of white "
            "images range from {low:.4g} to {high:.4g}, the table's from {want_low:.4g} to "
            "{want_high:.4g}: "
        ).format(low=got.min(), high=got.max(), want_low=want.min(), want_high=want.max())
        + cause
    )


@pytest.mark.part("patch_discriminator")
def test_the_patchgan_has_the_tables_widths_and_outputs_logits(submission, patch):
    """The reference's parameter count, and logits rather than probabilities?"""
    value, expected = patch
    check(
        value["params"] == expected["params"],
        _(
            "build_patch_discriminator(5, 2) has {got:,} parameters, the table gives {want:,}: "
            "three 4 x 4 convolutions with 5, 10 and 1 filters (with bias), nothing else."
        ).format(got=value["params"], want=expected["params"]),
    )
    check(
        max(abs(value["scaled_min"]), abs(value["scaled_max"])) > 1.0 and value["scaled_min"] < 0,
        _(
            "With large weights the PatchGAN's outputs stay within [{low:.3f}, {high:.3f}]: it "
            "must output logits, so leave its last convolution without an activation."
        ).format(low=value["scaled_min"], high=value["scaled_max"]),
    )


# ---------------------------------------------------------------- pix2pix_losses
LOSS_WEIGHTS = (0.0, 7.0)


def _loss_inputs():
    rng = seeded_rng("pix2pix loss inputs")
    real = rng.normal(0.5, 2, (3, 8, 8, 1))
    fake = rng.normal(-0.5, 2, (3, 8, 8, 1))
    generated = rng.uniform(-1, 1, (3, 32, 32, 1))
    targets = rng.uniform(-1, 1, (3, 32, 32, 1))
    return real, fake, generated, targets


@pytest.fixture(scope="module")
def losses(submission, reference):
    args = (*_loss_inputs(), LOSS_WEIGHTS)
    value = submission.probe("pix2pix_losses", probes.loss_values, *args)
    return value, reference.probe("pix2pix_losses", probes.loss_values, *args)


def _number(value):
    try:
        number = float(np.asarray(value, np.float64))
    except (TypeError, ValueError):
        return None
    return number


@pytest.mark.part("pix2pix_losses")
def test_the_discriminator_loss(submission, losses):
    """mean BCE(1, real) + mean BCE(0, fake), from logits, over the whole grid?"""
    value, expected = losses
    got = _number(value["d"])
    real, fake, _g, _t = _loss_inputs()
    swapped = float(np.mean(np.logaddexp(0, real)) + np.mean(np.logaddexp(0, -fake)))
    hint = ""
    if got is not None and abs(got - swapped) < 1e-3 * abs(swapped):
        hint = _(" The labels are swapped: real logits go towards 1, generated ones towards 0.")
    assert_close(
        got if got is not None else value["d"],
        expected["d"],
        _("discriminator_loss on a grid of logits") + hint,
        rtol=1e-4,
    )


def _l1_finding(value, expected):
    """What the generator loss's values at l1_weight 0 and 7 show its L1 term to do wrong, as a
    sentence, or "" (no evidence of a known mistake)."""
    got = [_number(v) for v in value["g"]]
    if None in got:
        return ""
    weight = LOSS_WEIGHTS[1]
    want = [float(v) for v in expected["g"]]
    l1 = (want[1] - want[0]) / weight  # mean |targets - generated|
    added = got[1] - got[0]
    if abs(added) < 1e-6 * max(1.0, abs(got[0])):
        if abs(got[0] - (want[0] + l1)) < 1e-4 * (want[0] + l1):
            return _(
                "generator_loss adds mean |targets - generated| = {l1:.4f} whatever l1_weight "
                "is (the same value for l1_weight 0 and {weight}): multiply it by l1_weight."
            ).format(l1=l1, weight=weight)
        return _(
            "generator_loss gives the same value for l1_weight 0 and {weight}: it has no L1 "
            "term. Add l1_weight * mean |targets - generated| (the book's first code left it "
            "out)."
        ).format(weight=weight)
    _real, _fake, generated, targets = _loss_inputs()
    squared = weight * float(np.mean((targets - generated) ** 2))
    if abs(added - squared) < 1e-4 * squared:
        return _(
            "generator_loss adds l1_weight times the mean *squared* distance; pix2pix uses the "
            "mean absolute distance, mean |targets - generated| (L1, less blurry)."
        )
    return ""


@pytest.mark.part("pix2pix_losses")
def test_the_generators_adversarial_term(submission, losses):
    """With l1_weight = 0: mean BCE(1, fake_logits), from logits?"""
    value, expected = losses
    assert_close(
        value["g"][0],
        expected["g"][0],
        _("generator_loss(fake_logits, generated, targets, l1_weight=0), the GAN term alone"),
        rtol=1e-4,
        explain=lambda: _l1_finding(value, expected),
    )


@pytest.mark.part("pix2pix_losses")
def test_the_generators_l1_term_to_the_target(submission, losses):
    """Does l1_weight times mean |targets - generated| come on top, with its gradient?"""
    value, expected = losses
    weight = LOSS_WEIGHTS[1]
    finding = _l1_finding(value, expected)
    check(not finding, finding)
    assert_close(
        value["g"][1],
        expected["g"][1],
        _("generator_loss(fake_logits, generated, targets, l1_weight={weight})").format(
            weight=weight
        ),
        rtol=1e-4,
    )
    check(
        value["g_gradient"][1] is not None,
        _("generator_loss has no gradient with respect to the generated images."),
    )
    assert_close(
        value["g_gradient"][1],
        expected["g_gradient"][1],
        _("the gradient of generator_loss with respect to the generated images"),
        rtol=1e-3,
        atol=1e-7,
    )


# ---------------------------------------------------------------- random_jitter
@pytest.fixture(scope="module")
def jitter(submission):
    return submission.probe("random_jitter", probes.jitter_facts, SEED)


@pytest.mark.property
@pytest.mark.part("random_jitter")
def test_the_jitter_keeps_the_shape(submission, jitter):
    """Does random_jitter return a pair of the input's shape?"""
    check(
        jitter.get("shapes") == [[2, 32, 32, 1], [2, 32, 32, 1]],
        _("random_jitter returned shapes {got} for two (2, 32, 32, 1) batches.").format(
            got=jitter.get("shapes")
        ),
    )


@pytest.mark.part("random_jitter")
def test_the_jitter_moves_both_images_of_a_pair_together(submission, jitter):
    """Same crop and flip for inputs and targets, each returned in its place?"""
    check(
        not jitter.get("swapped"),
        _(
            "In {count} of 24 calls random_jitter returned the targets as the inputs and the "
            "inputs as the targets: something swapped the two images of the pair (a flip or "
            "reversal along the channel axis of the joined pair, say). Flip along the width "
            "axis only, and split the pair in its order."
        ).format(count=jitter.get("swapped", 0)),
    )
    check(
        "distinct" in jitter and jitter["pair_error"] < 1e-4,
        _(
            "random_jitter moved the inputs and the targets differently (the targets were 0.5 - "
            "0.7 * inputs, pixel by pixel; after the jitter they are up to {error:.3f} from "
            "that): crop both at the same offset and flip both or neither."
        ).format(error=jitter.get("pair_error", float("nan"))),
    )


@pytest.mark.part("random_jitter")
def test_the_jitter_keeps_every_channel_of_both_images(submission, jitter):
    """On three-channel images (the facades' photos), each image keeps its own channels?"""
    check(
        "colour_error" not in jitter,
        _(
            "random_jitter raised {error} on two (2, 32, 32, 3) batches: it must work for any "
            "number of channels C, as its docstring says."
        ).format(error=jitter.get("colour_error")),
    )
    check(
        jitter.get("colour_shapes") == [[2, 32, 32, 3], [2, 32, 32, 3]],
        _(
            "random_jitter returned shapes {got} for two (2, 32, 32, 3) batches: split the "
            "joined pair after the inputs' own channels (C of them, from the inputs' shape), "
            "not after a fixed number."
        ).format(got=jitter.get("colour_shapes")),
    )
    check(
        jitter.get("colour_pair_error", 1.0) < 1e-4,
        _(
            "On three-channel images random_jitter moved the inputs and the targets "
            "differently (up to {error:.3f} from the targets' relation to the inputs): crop "
            "and flip all channels of both images alike."
        ).format(error=jitter.get("colour_pair_error", float("nan"))),
    )


@pytest.mark.part("random_jitter")
def test_the_jitter_crops_at_random_and_flips_half_the_time(submission, jitter):
    """Different crops over 24 calls, both flips, pixels copied (nearest neighbour)?"""
    check(
        jitter.get("distinct", 0) >= 4,
        _(
            "random_jitter gave {count} different results in 24 calls: crop at a random offset."
        ).format(count=jitter.get("distinct", 0)),
    )
    flips = jitter["flips"]
    check(
        0 < sum(flips) < len(flips),
        _(
            "In {calls} calls random_jitter flipped the images {count} times: flip left to "
            "right with probability 1/2."
        ).format(calls=len(flips), count=sum(flips)),
    )
    first, last = jitter.get("end_rows_seen", [True, True])
    check(
        first and last,
        _(
            "In 48 calls random_jitter never kept the {which} row of the 36 x 36 enlargement: "
            "the crop's offset runs from 0 to 4, both included (tf.random.uniform's maxval is "
            "excluded: 36 - 32 + 1)."
        ).format(which=_("first") if not first else _("last")),
    )
    check(
        jitter["new_values"] < 0.01,
        _(
            "{share:.0%} of random_jitter's pixels take values no input pixel has: resize with "
            "method='nearest', which copies pixels (the edges stay sharp lines)."
        ).format(share=jitter["new_values"]),
    )


# ---------------------------------------------------------------- pix2pix_step
STEP_SEED = 5
G_LOSS_ARGS = ("discriminator(inputs, generator(inputs))", "generator(inputs)", "targets")
D_LOSS_ARGS = ("discriminator(inputs, targets)", "discriminator(inputs, generator(inputs))")
OPTIMIZERS = {"d_optimizer": "discriminator", "g_optimizer": "generator"}
NETWORKS = ("generator", "discriminator")


@pytest.fixture(scope="module")
def step(submission, reference):
    value = submission.probe("pix2pix_step", probes.step_effects, STEP_SEED)
    return value, reference.probe("pix2pix_step", probes.step_effects, STEP_SEED)


def _step_explain(value):
    """explain= for the step's checks: what its recorded calls show."""

    def explain():
        inputs, targets = probes.step_inputs(STEP_SEED)
        calls = steptrace.label_calls(value["calls"], [("inputs", inputs), ("targets", targets)])
        found = [
            steptrace.input_finding("train_step", calls, "generator", "inputs"),
            steptrace.loss_finding(
                "train_step", calls, "generator_loss", G_LOSS_ARGS, value["g_loss"]
            ),
            steptrace.loss_finding(
                "train_step", calls, "discriminator_loss", D_LOSS_ARGS, value["d_loss"]
            ),
            steptrace.update_finding("train_step", calls, OPTIMIZERS),
            steptrace.training_finding("train_step", calls, NETWORKS),
        ]
        found = [sentence for sentence in found if sentence]
        return " ".join(found) or steptrace.describe("train_step", calls, NETWORKS)

    return explain


def _no_gradient(value):
    """Fail when the step found no gradient, or raised (with what its calls show)."""
    outcome = value["g_loss"] if isinstance(value["g_loss"], dict) else {}
    if outcome.get("no_gradient"):
        fail(
            _(
                "train_step found no gradient for some network's variables: compute the "
                "networks' outputs and both losses inside the `with tf.GradientTape()` "
                "blocks, then take each tape's gradient after them."
            )
        )
    if "error" in outcome:
        fail(
            _("train_step raised {error}.").format(error=error_words(outcome["error"])),
            _step_explain(value),
        )


@pytest.mark.part("pix2pix_step")
def test_the_step_returns_both_losses_of_its_forward_pass(submission, step):
    """Does train_step return (g_loss, d_loss), the values its update minimised?"""
    value, expected = step
    _no_gradient(value)
    check(
        value["returned_count"] == 2 and value["d_loss"] is not None,
        _("train_step must return the pair (g_loss, d_loss), not {count} value(s).").format(
            count=value["returned_count"]
        ),
    )
    explain = _step_explain(value)
    assert_close(value["g_loss"], expected["g_loss"], _("train_step's g_loss"), 1e-4, 1e-6, explain)
    assert_close(value["d_loss"], expected["d_loss"], _("train_step's d_loss"), 1e-4, 1e-6, explain)


@pytest.mark.defining
@pytest.mark.part("pix2pix_step")
@pytest.mark.parametrize("network", NETWORKS)
def test_the_step_updates_each_network_once_on_its_own_loss(submission, step, network):
    """After one step, are G's and D's variables the reference's (one SGD step each, G on
    g_loss with g_optimizer, D on d_loss with d_optimizer)?"""
    value, expected = step
    _no_gradient(value)
    explain = _step_explain(value)
    before, after = value[f"{network[0]}_before"], value[f"{network[0]}_after"]
    check(
        any(not np.array_equal(b, a) for b, a in zip(before, after, strict=True)),
        _("train_step did not change the {network}'s trainable variables.").format(network=network),
        explain,
    )
    loss, optimizer = f"{network[0]}_loss", f"{network[0]}_optimizer"
    for got, want in zip(after, expected[f"{network[0]}_after"], strict=True):
        assert_close(
            got,
            want,
            _("the {network}'s variables after one step (SGD on {loss}, with {optimizer})").format(
                network=_(network), loss=loss, optimizer=optimizer
            ),
            1e-4,
            1e-6,
            explain,
        )


# ---------------------------------------------------------------- trained_pix2pix
def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch04_image_translation"][name]


def _test_pairs_or_skip():
    from igcourse.data.derived import build_edges2shoes
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        test = build_edges2shoes("test", size=32)
    except DatasetNotFound as error:
        pytest.skip(str(error))
    rows = np.sort(
        seeded_rng("pix2pix handed-in pairs").permutation(len(test.edges))[:HANDED_IN_PAIRS]
    )
    scale = np.float32(127.5)
    edges = (test.edges[rows].astype(np.float32) / scale - 1.0)[..., None]
    shoes = (test.shoes[rows].astype(np.float32) / scale - 1.0)[..., None]
    return edges, shoes, test.labels[rows]


def measure(generated, shoes, labels):
    """Held-out L1 (in [-1, 1]) and class consistency of generated shoes."""
    import tensorflow as tf

    from igcourse.evaluation import class_consistency, load_evaluator

    generated = np.asarray(generated, np.float32)
    l1 = float(np.mean(np.abs(generated - shoes)))
    small = tf.image.resize(np.clip((generated + 1) / 2, 0, 1), (28, 28), method="area").numpy()
    _features, probabilities = load_evaluator().features_and_probabilities(small)
    return {"l1": l1, "consistency": class_consistency(probabilities, labels).accuracy}


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generator's translations of the test pairs, measured once."""
    edges, shoes, labels = _test_pairs_or_skip()
    result = submission.probe(
        None, probes.handed_in_generator, TRAINED_WEIGHTS, TRAINED_SETTINGS, edges, 0
    )
    figures = None
    if "generated" in result:
        generated = np.asarray(result["generated"])
        if generated.shape == shoes.shape:
            figures = measure(generated, shoes, labels)
        else:
            result = {"shape_error": list(generated.shape)}
    return result, figures


def _figures_or_fail(handed_in):
    result, figures = handed_in
    fail_unless_loaded(
        result, "build_unet", TRAINED_WEIGHTS, TRAINED_SETTINGS, ("filters", "channels")
    )
    if "shape_error" in result:
        fail(
            _(
                "The handed-in generator maps (N, 32, 32, 1) drawings to shape {shape}; a shoe "
                "per drawing, (N, 32, 32, 1), is expected."
            ).format(shape=tuple(result["shape_error"]))
        )
    return figures


@pytest.mark.handed_in
@pytest.mark.part("trained_pix2pix")
def test_the_handed_in_generator_draws_shoes_close_to_the_targets(submission, handed_in):
    """Is the held-out L1 to the real shoes below the course's bar?"""
    figures = _figures_or_fail(handed_in)
    most = _threshold("pix2pix_test_l1_max")
    check(
        figures["l1"] <= most,
        _(
            "On {count} test drawings your trained generator's shoes are {l1:.3f} from the real "
            "ones (mean absolute difference in [-1, 1]); the course asks for at most {limit:.3f}. "
            "Train longer, and check that the L1 term compares with the targets."
        ).format(count=HANDED_IN_PAIRS, l1=figures["l1"], limit=most),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_pix2pix")
def test_the_handed_in_generator_keeps_the_kind_of_shoe(submission, handed_in):
    """Does the evaluator recognise the right kind of shoe in the translations?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("pix2pix_class_consistency_min")
    check(
        figures["consistency"] >= least,
        _(
            "The evaluator recognises the right kind of shoe (sandal, sneaker or ankle boot) in "
            "{share:.0%} of your trained generator's translations; the course asks for "
            "{limit:.0%}. Train longer."
        ).format(share=figures["consistency"], limit=least),
    )
