"""Hidden checks of GauGAN: SPADE, its residual block, the generator, the style encoder, the
multi-scale discriminator, the losses, the training step and the handed-in generator.

Every check gets its values through a probe (probes_gaugan.py) and judges them here, against
the reference's values or the maths. Each part runs with the other parts' code replaced by
correct stand-ins (probes_gaugan.STAND_INS), so that a mistake costs its own part alone. Sizes
differ from the notebook's (other label counts, batches, sizes that are not square, epsilon 0.5
where epsilon must show).
"""

from functools import partial
from pathlib import Path

import numpy as np
import probes_gaugan as probes
import pytest
from judging import close as _close
from judging import explain as _explain
from judging import fail_if_raised as _fail_if_raised

from igcourse.grading.ch06_gaugan import FOREGROUND_CUT, gaugan_quality
from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.mutants import same_values
from igcourse.grading.probing import raised
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

CHAPTER = "ch06_ai_painter"
PART_NAMES = {
    "spade": ["SPADE"],
    "spade_block": ["SPADEResBlock"],
    "gaugan_generator": ["build_gaugan_generator"],
    "style_encoder": ["build_style_encoder", "sample_style"],
    "multiscale_discriminator": ["build_patch_discriminator", "build_multiscale_discriminator"],
    "gaugan_losses": [
        "discriminator_hinge_loss",
        "generator_hinge_loss",
        "feature_matching_loss",
        "kl_divergence",
        "perceptual_loss",
    ],
    "gaugan_step": ["make_gaugan_step"],
    "trained_gaugan": [],  # handed in: graded from the files beside the notebook
}

test_public_checks = public_checks_test(CHAPTER, PART_NAMES, probes)

BIG_EPSILON = 0.5  # where epsilon must show
LABELS = 4  # label maps with 4 labels, not the notebook's 11


def _batch_norm(x, epsilon):
    """x normalised per channel over batch, height and width, no scale or offset."""
    x = np.asarray(x, np.float64)
    mean = x.mean(axis=(0, 1, 2), keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=(0, 1, 2), keepdims=True) + epsilon)


# ---------------------------------------------------------------- spade
SPADE_SEED, SPADE_HIDDEN = 3, 3


def _spade_inputs():
    """x (3, 4, 6, 5): samples of other scales (so that statistics per sample show) and a
    nearly flat channel (so that epsilon shows); label maps larger (constant on 2 x 2 squares),
    of the same size, and smaller than x."""
    rng = seeded_rng("spade inputs")
    x = rng.standard_normal((3, 4, 6, 5)) * np.array([1.0, 3.0, 0.5])[:, None, None, None] + 1.0
    x[..., 4] = 0.2 + 0.05 * rng.standard_normal((3, 4, 6))
    maps = [
        probes.label_maps("spade larger", 3, (8, 12), LABELS, 2),
        probes.label_maps("spade same", 3, (4, 6), LABELS),
        probes.label_maps("spade smaller", 3, (2, 3), LABELS),
    ]
    return x.astype(np.float32), maps


def _spade_probe(ns):
    x, maps = _spade_inputs()
    return probes.spade_values(ns, SPADE_SEED, x, maps, SPADE_HIDDEN, BIG_EPSILON)


@pytest.fixture(scope="module")
def spade(submission, reference):
    x, maps = _spade_inputs()
    arguments = (SPADE_SEED, x, maps, SPADE_HIDDEN, BIG_EPSILON)
    value = submission.probe("spade", probes.spade_values, *arguments)
    return value, reference.probe("spade", probes.spade_values, *arguments)


SPADE_CALL = _(
    "SPADE(hidden=3, epsilon=0.5) on x (3, 4, 6, 5) with its three convolutions (shared, "
    "gamma_conv, beta_conv) set to seeded weights"
)


def _spade_or_fail(value, mistakes, key):
    _fail_if_raised(value, SPADE_CALL, _explain(mistakes, "spade", _spade_probe, value, key))
    return value


@pytest.mark.defining
@pytest.mark.part("spade")
def test_spade_modulates_the_normalised_input(submission, spade, mistakes):
    """Label maps of 8 x 12 and 4 x 6: x_hat * (1 + gamma) + beta, x_hat the batch-normalised
    x, gamma and beta from the label map resized to x's size?"""
    value, expected = spade
    _spade_or_fail(value, mistakes, "outputs")
    explain = _explain(mistakes, "spade", _spade_probe, value, "outputs")
    for index, size in ((0, "8 x 12"), (1, "4 x 6")):
        assert_close(
            value["outputs"][index],
            expected["outputs"][index],
            _(
                "{call}, label map of {size} (x_hat * (1 + gamma) + beta, where x_hat is x "
                "normalised per channel over batch, height and width with epsilon inside the "
                "root, and gamma, beta come from the label map resized to 4 x 6 by nearest "
                "neighbour: shared = relu(conv(map)), gamma = gamma_conv(shared), beta = "
                "beta_conv(shared))"
            ).format(call=SPADE_CALL, size=size),
            1e-4,
            1e-4,
            explain,
        )


@pytest.mark.defining
@pytest.mark.part("spade")
def test_spade_with_zero_weights_is_the_plain_normalisation(submission, spade, mistakes):
    """Every convolution zero (gamma = beta = 0): the batch-normalised x, as gamma is centred at
    one and the normalisation has no scale or offset of its own?"""
    value, _expected = spade
    _spade_or_fail(value, mistakes, "zero")
    x, _maps = _spade_inputs()
    assert_close(
        value["zero"],
        _batch_norm(x, BIG_EPSILON),
        _(
            "SPADE(hidden=3, epsilon=0.5) with all three convolutions zero (then gamma = beta = "
            "0 and the output is x_hat * (1 + 0) + 0: x normalised per channel over batch, "
            "height and width, (x - mean) / sqrt(variance + epsilon), with no scale or offset "
            "of its own)"
        ),
        1e-4,
        1e-4,
        _explain(mistakes, "spade", _spade_probe, value, "zero"),
    )


@pytest.mark.defining
@pytest.mark.part("spade")
def test_spade_enlarges_the_label_map_by_nearest_neighbour(submission, spade, mistakes):
    """A 2 x 3 label map on x of 4 x 6: each label cell covers 2 x 2 pixels (no blended labels,
    which bilinear interpolation would make)?"""
    value, expected = spade
    _spade_or_fail(value, mistakes, "outputs")
    assert_close(
        value["outputs"][2],
        expected["outputs"][2],
        _(
            "{call}, label map of 2 x 3 (resized to 4 x 6 by nearest neighbour, each label cell "
            "repeated over 2 x 2 pixels: a one-hot map stays one-hot, while bilinear "
            "interpolation blends neighbouring labels into values no map has)"
        ).format(call=SPADE_CALL),
        1e-4,
        1e-4,
        _explain(mistakes, "spade", _spade_probe, value, "outputs"),
    )


@pytest.mark.part("spade")
def test_spade_uses_batch_statistics_in_inference_too(submission, spade, mistakes):
    """Called with training=False: the same output as in training?"""
    value, expected = spade
    _spade_or_fail(value, mistakes, "inference")
    assert_close(
        value["inference"],
        expected["inference"],
        _(
            "{call}, called with training=False (the normalisation uses the statistics of the "
            "batch it is given in inference too, not moving averages)"
        ).format(call=SPADE_CALL),
        1e-4,
        1e-4,
        _explain(mistakes, "spade", _spade_probe, value, "inference"),
    )


@pytest.mark.part("spade")
def test_spade_learns_only_its_three_convolutions(submission, spade, mistakes):
    """Six trainable variables (three kernels, three biases) and their count of numbers?"""
    value, expected = spade
    _spade_or_fail(value, mistakes, "sizes")
    got, want = value["sizes"], expected["sizes"]
    check(
        got == want,
        _(
            "SPADE(hidden=3) on x with 5 channels and a label map with 4 labels has {got} "
            "trainable variables ({got_params} numbers); the task asks for {want} ({want_params}: "
            "the three convolutions' kernels and biases, and nothing in the normalisation)."
        ).format(
            got=got["trainable"],
            got_params=got["params"],
            want=want["trainable"],
            want_params=want["params"],
        ),
        _explain(mistakes, "spade", _spade_probe, value, "sizes", same_values),
    )


@pytest.mark.part("spade")
def test_a_constant_label_map_gives_constant_gamma_and_beta(submission, mistakes):
    """A label map of one label everywhere: away from the border (two 3 x 3 convolutions pad
    there), each channel of the output is the same affine function of x_hat at every pixel:
    conditional normalisation with a constant gamma and beta?"""
    rng = seeded_rng("spade constant map")
    x = (rng.standard_normal((2, 10, 12, 3)) * 2.0 + 0.5).astype(np.float32)
    value = submission.probe("spade", probes.spade_constant_map, x, 2)
    call = _(
        "SPADE(hidden=3) with seeded convolutions, on x (2, 10, 12, 3) and a label map of one label"
    )
    explain = _explain(
        mistakes, "spade", lambda ns: probes.spade_constant_map(ns, x, 2), value, same=_close()
    )
    _fail_if_raised(value, call, explain)
    x_hat = _batch_norm(x, 1e-5)[:, 2:-2, 2:-2]
    out = np.asarray(value, np.float64)[:, 2:-2, 2:-2]
    worst = 0.0
    for channel in range(x.shape[-1]):
        a = x_hat[..., channel].ravel()
        b = out[..., channel].ravel()
        slope, offset = np.polyfit(a, b, 1)
        worst = max(worst, float(np.abs(slope * a + offset - b).max()))
    check(
        worst < 1e-3,
        _(
            "{call}: away from the border, each channel of the output should be gamma * x_hat + "
            "beta with one gamma and one beta for every pixel (a constant map gives constant "
            "modulation), but it differs from the best such line by up to {worst:.3g}."
        ).format(call=call, worst=worst),
        explain,
    )


@pytest.mark.part("spade")
def test_spade_uses_the_default_epsilon(submission, mistakes):
    """SPADE(hidden=4) with zero convolutions: the normalisation with epsilon 1e-5?"""
    x, maps = _spade_inputs()
    x = x * 0.01  # small variances, so that epsilon 1e-5 shows against 1e-3
    value = submission.probe("spade", probes.spade_default_epsilon, x, maps[1])
    _fail_if_raised(value, _("SPADE(hidden=4) with epsilon left out"))
    assert_close(
        value,
        _batch_norm(x, 1e-5),
        _(
            "SPADE(hidden=4), epsilon left out, all convolutions zero, on x with variances near "
            "1e-4 (the plain normalisation with the default epsilon 1e-5)"
        ),
        1e-3,
        1e-3,
        _explain(mistakes, "spade", lambda ns: probes.spade_default_epsilon(ns, x, maps[1]), value),
    )


@pytest.mark.part("spade")
def test_spade_output_pixels_see_a_local_patch_of_the_label_map(submission, reference, mistakes):
    """The output pixel (3, 4) of x (1, 8, 9, 2) has gradients from the label map's 5 x 5
    window around it (two 3 x 3 convolutions) and nowhere else?"""
    rng = seeded_rng("spade reach")
    x = rng.standard_normal((1, 8, 9, 2)).astype(np.float32)
    label_map = rng.uniform(0, 1, (1, 8, 9, 3)).astype(np.float32)
    arguments = (x, label_map, 3, 4)
    value = submission.probe("spade", probes.spade_gradient_reach, *arguments)
    expected = reference.probe("spade", probes.spade_gradient_reach, *arguments)
    _fail_if_raised(value, _("the gradient of SPADE's output pixel (3, 4) to the label map"))
    got = np.asarray(value, bool)
    check(
        got.shape == np.shape(expected) and np.array_equal(got, expected),
        _(
            "SPADE's output pixel (3, 4) has gradients from {got} pixels of a label map of the "
            "output's size; two 3 x 3 convolutions reach the 5 x 5 window around it (25 "
            "pixels) and no further."
        ).format(got=int(got.sum())),
        _explain(
            mistakes,
            "spade",
            lambda ns: probes.spade_gradient_reach(ns, *arguments),
            value,
            same=same_values,
        ),
    )


@pytest.mark.part("spade")
def test_spade_config_has_hidden_and_epsilon(submission, spade):
    """get_config() gives back hidden and epsilon?"""
    value, _expected = spade
    _fail_if_raised(value, SPADE_CALL)
    check(
        value["config"] == [SPADE_HIDDEN, BIG_EPSILON],
        _(
            "SPADE(hidden=3, epsilon=0.5).get_config() gives hidden {hidden} and epsilon "
            "{epsilon}: add both to the config, so that a saved model builds the same layer."
        ).format(hidden=value["config"][0], epsilon=value["config"][1]),
    )


# ---------------------------------------------------------------- spade_block
BLOCK_CASES = {"same": (6, 6), "fewer": (6, 4), "more": (3, 5)}  # (channels in, filters)


def _block_inputs(channels):
    x = (seeded_rng(f"block x {channels}").standard_normal((2, 4, 4, channels)) + 0.5).astype(
        np.float32
    )
    return x, probes.label_maps("block maps", 2, 8, LABELS, 2)


def _block_probe(case, ns):
    channels, filters = BLOCK_CASES[case]
    x, label_map = _block_inputs(channels)
    return probes.block_values(ns, 11, x, label_map, filters, 3)


@pytest.fixture(scope="module")
def blocks(submission, reference):
    found = {}
    for case, (channels, filters) in BLOCK_CASES.items():
        x, label_map = _block_inputs(channels)
        arguments = (11, x, label_map, filters, 3)
        found[case] = (
            submission.probe("spade_block", probes.block_values, *arguments),
            reference.probe("spade_block", probes.block_values, *arguments),
        )
    return found


def _block_call(case):
    channels, filters = BLOCK_CASES[case]
    return _(
        "SPADEResBlock({filters}, hidden=3) on x (2, 4, 4, {channels}) and a label map (2, 8, 8, "
        "4), its SPADE layers and convolutions set to seeded weights"
    ).format(filters=filters, channels=channels)


def _block_value(blocks, case, mistakes, key):
    value, expected = blocks[case]
    explain = _explain(mistakes, "spade_block", partial(_block_probe, case), value, key)
    _fail_if_raised(value, _block_call(case), explain)
    return value, expected, explain


BLOCK_FORMULA = _(
    "main path SPADE -> LeakyReLU(0.2) -> Conv2D(min(channels in, filters), 3) -> SPADE -> "
    "LeakyReLU(0.2) -> Conv2D(filters, 3), plus the shortcut: x itself when the channels do not "
    "change, else SPADE -> Conv2D(filters, 1, no bias)"
)


@pytest.mark.defining
@pytest.mark.part("spade_block")
@pytest.mark.parametrize("case", list(BLOCK_CASES))
def test_the_block_follows_the_formula(submission, blocks, mistakes, case):
    """6 -> 6, 6 -> 4 and 3 -> 5 channels: the reference's output?"""
    value, expected, explain = _block_value(blocks, case, mistakes, "output")
    assert_close(
        value["output"],
        expected["output"],
        _("{call} ({formula})").format(call=_block_call(case), formula=BLOCK_FORMULA),
        1e-4,
        1e-4,
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("spade_block")
def test_the_shortcut_is_learned_exactly_when_the_channels_change(submission, blocks, mistakes):
    """spade_skip and conv_skip are None for 6 -> 6 and layers for 6 -> 4 and 3 -> 5; with
    conv_2 zero, the 6 -> 6 block gives x back?"""
    for case, wanted in (("same", False), ("fewer", True), ("more", True)):
        value, _expected, explain = _block_value(blocks, case, mistakes, "shortcut")
        check(
            value["shortcut"] == [wanted, wanted],
            _(
                "{call}: spade_skip and conv_skip are {got}; the learned shortcut (SPADE, then "
                "Conv2D(filters, 1)) exists exactly when the channels change, and both are None "
                "otherwise."
            ).format(
                call=_block_call(case),
                got=", ".join(_("a layer") if s else "None" for s in value["shortcut"]),
            ),
            explain,
        )
    value, _expected, explain = _block_value(blocks, "same", mistakes, "shortcut_alone")
    x, _map = _block_inputs(6)
    assert_close(
        value["shortcut_alone"],
        x,
        _(
            "{call}, with conv_2 set to zero (the main path then adds 0, and the shortcut of a "
            "block that keeps its channels is x itself)"
        ).format(call=_block_call("same")),
        1e-5,
        1e-5,
        explain,
    )


@pytest.mark.part("spade_block")
def test_the_middle_convolution_has_the_fewer_channels(submission, blocks, mistakes):
    """conv_1 has min(channels in, filters) filters?"""
    for case, (channels, filters) in BLOCK_CASES.items():
        value, _expected, explain = _block_value(blocks, case, mistakes, "middle")
        check(
            value["middle"] == min(channels, filters),
            _(
                "{call}: conv_1 has {got} filters; the task asks for min(channels in, filters) "
                "= {want}."
            ).format(call=_block_call(case), got=value["middle"], want=min(channels, filters)),
            explain,
        )


@pytest.mark.part("spade_block")
def test_the_block_has_the_reference_variables(submission, blocks, mistakes):
    """As many trainable variables and numbers as the reference's block, for each case?"""
    for case in BLOCK_CASES:
        value, expected, explain = _block_value(blocks, case, mistakes, "sizes")
        check(
            value["sizes"] == expected["sizes"],
            _(
                "{call} has {got} trainable variables ({got_params} numbers); the task's block "
                "has {want} ({want_params})."
            ).format(
                call=_block_call(case),
                got=value["sizes"]["trainable"],
                got_params=value["sizes"]["params"],
                want=expected["sizes"]["trainable"],
                want_params=expected["sizes"]["params"],
            ),
            explain,
        )


# ---------------------------------------------------------------- gaugan_generator
GENERATOR_ARGS = (LABELS, 6, 2, 16, 3, 2)  # labels, z_dim, filters, image size, hidden, batch
GENERATOR_SEED = 21


def _generator_probe(ns):
    return probes.generator_values(ns, GENERATOR_SEED, *GENERATOR_ARGS)


@pytest.fixture(scope="module")
def generator(submission, reference):
    arguments = (GENERATOR_SEED, *GENERATOR_ARGS)
    value = submission.probe("gaugan_generator", probes.generator_values, *arguments)
    return value, reference.probe("gaugan_generator", probes.generator_values, *arguments)


GENERATOR_CALL = _(
    "build_gaugan_generator(num_labels=4, z_dim=6, filters=2, image_size=16, channels=1, "
    "hidden=3) with seeded weights, on z (2, 6) and label maps (2, 16, 16, 4)"
)


def _generator_value(generator, mistakes, key):
    value, expected = generator
    explain = _explain(mistakes, "gaugan_generator", _generator_probe, value, key)
    _fail_if_raised(value, GENERATOR_CALL, explain)
    return value, expected, explain


@pytest.mark.defining
@pytest.mark.part("gaugan_generator")
def test_the_generator_paints_the_reference_images(submission, generator, mistakes):
    """The reference's images for the same weights, z and label maps?"""
    value, expected, explain = _generator_value(generator, mistakes, "images")
    assert_close(
        value["images"],
        expected["images"],
        _(
            "{call} (Dense(4 * 4 * 4 * filters) -> reshape to 4 x 4; a SPADEResBlock of filters "
            "* 2 ** max(0, 2 - k) then UpSampling2D(2) for each of the log2(16 / 4) = 2 "
            "doublings; SPADEResBlock(filters); LeakyReLU(0.2); Conv2D(channels, 3); tanh; "
            "every block given the full-size label map)"
        ).format(call=GENERATOR_CALL),
        1e-4,
        1e-4,
        explain,
    )


@pytest.mark.part("gaugan_generator")
def test_the_blocks_halve_their_filters_as_the_image_grows(submission, generator, mistakes):
    """Blocks of 8, 4 and 2 filters for filters=2 and 16 pixels?"""
    value, expected, explain = _generator_value(generator, mistakes, "blocks")
    check(
        value["blocks"] == expected["blocks"],
        _(
            "{call} has SPADEResBlocks of {got} filters; the task's plan gives {want} (filters * "
            "4, * 2, * 1 as the image doubles from 4 x 4, then one more block of filters)."
        ).format(call=GENERATOR_CALL, got=value["blocks"], want=expected["blocks"]),
        explain,
    )


@pytest.mark.part("gaugan_generator")
def test_the_generator_upsamples_by_nearest_neighbour(submission, generator, mistakes):
    """Its UpSampling2D layers use nearest-neighbour interpolation?"""
    value, expected, explain = _generator_value(generator, mistakes, "layers")
    got = [kind for kind in value["layers"] if kind.startswith("UpSampling2D")]
    want = [kind for kind in expected["layers"] if kind.startswith("UpSampling2D")]
    check(
        got == want,
        _("{call} upsamples with {got}; the task asks for {want}.").format(
            call=GENERATOR_CALL, got=got or _("no UpSampling2D layer"), want=want
        ),
        explain,
    )


@pytest.mark.part("gaugan_generator")
def test_the_generator_ends_in_tanh(submission, generator, mistakes):
    """With every kernel 50 times larger, the images stay within [-1, 1] and reach its ends?"""
    value, _expected, explain = _generator_value(generator, mistakes, "scaled_range")
    low, high = value["scaled_range"]
    check(
        -1.0 - 1e-5 <= low <= -0.9 and 0.9 <= high <= 1.0 + 1e-5,
        _(
            "With every kernel 50 times larger, {call} gives values from {low:.3f} to "
            "{high:.3f}: images in [-1, 1] come from a tanh at the end, which large inputs push "
            "to -1 and 1."
        ).format(call=GENERATOR_CALL, low=low, high=high),
        explain,
    )


@pytest.mark.part("gaugan_generator")
def test_the_generator_builds_other_sizes_and_channels(submission, mistakes):
    """image_size 32 with 3 channels and image_size 8 with 1: images of that size?"""
    for size, channels in ((32, 3), (8, 1)):
        arguments = (LABELS, 5, 2, size, channels)
        value = submission.probe("gaugan_generator", probes.generator_shapes, *arguments)
        call = _(
            "build_gaugan_generator(num_labels=4, z_dim=5, filters=2, image_size={size}, "
            "channels={channels}, hidden=4) on 2 label maps"
        ).format(size=size, channels=channels)
        explain = _explain(
            mistakes,
            "gaugan_generator",
            lambda ns, a=arguments: probes.generator_shapes(ns, *a),
            value,
            same=same_values,
        )
        _fail_if_raised(value, call, explain)
        check(
            value == [2, size, size, channels],
            _("{call} gives images of shape {got}, not {want}.").format(
                call=call, got=tuple(value), want=(2, size, size, channels)
            ),
            explain,
        )


# ---------------------------------------------------------------- style_encoder
ENCODER_ARGS = (5, 2, 16, 1, 3)  # z_dim, filters, image size, channels, batch
MEANS = np.array([[0.0, 2.0, -1.0], [1.0, -3.0, 0.5]], np.float32)
LOG_VARS = np.array([[0.0, -2.0, 1.5], [-4.0, 1.0, 0.0]], np.float32)
DRAWS = 600


@pytest.mark.defining
@pytest.mark.part("style_encoder")
def test_the_encoder_gives_the_reference_mean_and_log_variance(submission, reference, mistakes):
    """With seeded weights, on seeded images of 16 x 16: the reference's [mean, log_var] (its
    two heads in either order: they are alike until trained)?"""
    arguments = (4, *ENCODER_ARGS)
    value = submission.probe("style_encoder", probes.encoder_values, *arguments)
    expected = reference.probe("style_encoder", probes.encoder_values, *arguments)
    call = _(
        "build_style_encoder(z_dim=5, filters=2, image_size=16, channels=1) with seeded weights, "
        "on 3 images"
    )
    explain = _explain(
        mistakes, "style_encoder", lambda ns: probes.encoder_values(ns, *arguments), value
    )
    _fail_if_raised(value, call, explain)
    check(
        isinstance(value, list) and len(value) == 2,
        _("{call} must return [mean, log_var], two outputs.").format(call=call),
        explain,
    )
    swapped = [expected[1], expected[0]]
    if not same_values(value, swapped, 1e-4, 1e-4):
        assert_close(
            value,
            expected,
            _(
                "{call} (Conv2D(filters, 3, strides 2) -> LeakyReLU(0.2) -> Conv2D(2 * filters, "
                "3, strides 2) -> LeakyReLU -> Conv2D(4 * filters, 3, strides 2) -> LeakyReLU -> "
                "Flatten, then Dense(z_dim) for the mean and another for the log-variance)"
            ).format(call=call),
            1e-4,
            1e-4,
            explain,
        )


def _samples(submission):
    return submission.probe("style_encoder", probes.style_samples, MEANS, LOG_VARS, DRAWS)


@pytest.fixture(scope="module")
def samples(submission):
    return _samples(submission)


SAMPLE_CALL = _(
    "600 calls of sample_style(mean, log_var, seed) with one SeedGenerator, mean and log_var of "
    "shape (2, 3)"
)


@pytest.mark.defining
@pytest.mark.part("style_encoder")
def test_samples_have_the_mean_and_the_standard_deviation_asked(submission, samples, mistakes):
    """Over 600 draws: the mean near `mean`, the standard deviation near exp(log_var / 2)?"""
    explain = _explain(
        mistakes,
        "style_encoder",
        lambda ns: probes.style_samples(ns, MEANS, LOG_VARS, DRAWS),
        samples,
        same=_close(0.05, 0.05),
    )
    _fail_if_raised(samples, SAMPLE_CALL, explain)
    draws = np.asarray(samples, np.float64)
    check(
        draws.shape == (DRAWS, *MEANS.shape),
        _("{call}: each draw has shape {got}, not (2, 3).").format(
            call=SAMPLE_CALL, got=draws.shape[1:]
        ),
        explain,
    )
    spread = np.exp(LOG_VARS / 2.0)
    mean_error = np.abs(draws.mean(axis=0) - MEANS) / spread
    ratio = draws.std(axis=0) / spread
    check(
        mean_error.max() < 0.25 and ratio.min() > 0.8 and ratio.max() < 1.2,
        _(
            "{call}: the draws' means are {means} and their standard deviations {stds}; asked "
            "for means {want_means} and deviations exp(log_var / 2) = {want_stds} (mean + "
            "exp(log_var / 2) * eps, eps standard normal)."
        ).format(
            call=SAMPLE_CALL,
            means=np.round(draws.mean(axis=0), 2).tolist(),
            stds=np.round(draws.std(axis=0), 2).tolist(),
            want_means=MEANS.tolist(),
            want_stds=np.round(spread, 2).tolist(),
        ),
        explain,
    )


@pytest.mark.part("style_encoder")
def test_every_draw_and_every_number_is_new_noise(submission, samples, mistakes):
    """No two draws alike, and no two numbers of one draw moved by the same noise?"""
    explain = _explain(
        mistakes,
        "style_encoder",
        lambda ns: probes.style_samples(ns, MEANS, LOG_VARS, DRAWS),
        samples,
        same=_close(0.05, 0.05),
    )
    _fail_if_raised(samples, SAMPLE_CALL, explain)
    draws = np.asarray(samples, np.float64)
    noise = (draws - MEANS) / np.exp(LOG_VARS / 2.0)
    flat = noise.reshape(DRAWS, -1)
    repeated = float(np.abs(flat[1:] - flat[:-1]).max()) < 1e-6
    correlation = np.corrcoef(flat.T)
    shared = float(np.abs(correlation - np.eye(len(correlation))).max())
    check(
        not repeated and shared < 0.3,
        _(
            "{call}: {what}. Each call must draw new noise (a SeedGenerator advances itself), "
            "and each number its own (eps of mean's whole shape)."
        ).format(
            call=SAMPLE_CALL,
            what=_("every draw is the same")
            if repeated
            else _("numbers of one draw share their noise (correlation {c:.2f})").format(c=shared),
        ),
        explain,
    )


# ---------------------------------------------------------------- multiscale_discriminator
DISCRIMINATOR_ARGS = (3, 2, 1, 2, 16, 2)  # labels, filters, channels, scales, size, batch


def _discriminator_probe(ns, arguments=(31, *DISCRIMINATOR_ARGS)):
    return probes.discriminator_values(ns, *arguments)


@pytest.fixture(scope="module")
def discriminator(submission, reference):
    arguments = (31, *DISCRIMINATOR_ARGS)
    part = "multiscale_discriminator"
    value = submission.probe(part, probes.discriminator_values, *arguments)
    return value, reference.probe(part, probes.discriminator_values, *arguments)


DISCRIMINATOR_CALL = _(
    "build_multiscale_discriminator(num_labels=3, filters=2, channels=1, scales=2) with seeded "
    "weights (alike at every scale), on label maps and images of 16 x 16"
)


def _discriminator_value(discriminator, mistakes, key):
    value, expected = discriminator
    explain = _explain(mistakes, "multiscale_discriminator", _discriminator_probe, value, key)
    _fail_if_raised(value, DISCRIMINATOR_CALL, explain)
    return value, expected, explain


def _shapes(features):
    return [[list(np.shape(f)) for f in scale] for scale in features]


@pytest.mark.defining
@pytest.mark.part("multiscale_discriminator")
def test_every_scale_returns_its_features(submission, discriminator, mistakes):
    """Two scales, each a list of 4 feature maps, the last the patch logits?"""
    value, expected, explain = _discriminator_value(discriminator, mistakes, "features")
    check(
        _shapes(value["features"]) == _shapes(expected["features"]),
        _(
            "{call} returns features of shapes {got}; the task asks for a list over the scales "
            "of each scale's 4 feature maps ({want})."
        ).format(
            call=DISCRIMINATOR_CALL,
            got=_shapes(value["features"]),
            want=_shapes(expected["features"]),
        ),
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("multiscale_discriminator")
def test_the_features_are_the_reference_ones(submission, discriminator, mistakes):
    """Each scale's features equal the reference's (scale k sees the inputs average-pooled k
    times with a 3 x 3 window, strides 2)?"""
    value, expected, explain = _discriminator_value(discriminator, mistakes, "features")
    what = _(
        "{call} (concat(label map, image) -> Conv2D(filters, 4, strides 2) -> LeakyReLU(0.2) -> "
        "Conv2D(2 * filters, 4, strides 2) -> LeakyReLU -> Conv2D(4 * filters, 4) -> LeakyReLU "
        "-> Conv2D(1, 4), each output kept; scale k on the inputs average-pooled k times, "
        "AveragePooling2D(3, strides=2, padding='same'))"
    ).format(call=DISCRIMINATOR_CALL)
    got, want = value["features"], expected["features"]
    check(_shapes(got) == _shapes(want), what, explain)
    for scale, (got_scale, want_scale) in enumerate(zip(got, want, strict=True)):
        for index, (g, w) in enumerate(zip(got_scale, want_scale, strict=True)):
            where = _("{what}: scale {scale}, feature map {index}").format(
                what=what, scale=scale, index=index + 1
            )
            assert_close(g, w, where, 1e-4, 1e-4, explain)


@pytest.mark.part("multiscale_discriminator")
def test_every_scale_has_weights_of_its_own(submission, discriminator, mistakes):
    """As many variables and numbers as two patch discriminators?"""
    value, expected, _unused = _discriminator_value(discriminator, mistakes, "params")

    def observe(ns):  # the sizes with the scales returned: one network, or one shared by two
        found = _discriminator_probe(ns)
        return found if raised(found) else [found["params"], found["scales"]]

    explain = partial(
        mistakes.explain,
        "multiscale_discriminator",
        observe,
        [value["params"], value["scales"]],
        same_values,
    )
    check(
        [value["variables"], value["params"]] == [expected["variables"], expected["params"]],
        _(
            "{call} has {got} trainable variables ({got_params} numbers); two patch "
            "discriminators of their own have {want} ({want_params})."
        ).format(
            call=DISCRIMINATOR_CALL,
            got=value["variables"],
            got_params=value["params"],
            want=expected["variables"],
            want_params=expected["params"],
        ),
        explain,
    )


@pytest.mark.part("multiscale_discriminator")
def test_the_patch_discriminator_takes_any_size(submission, reference, mistakes):
    """build_patch_discriminator on 16 x 16 and 12 x 20 inputs: the reference's shapes?"""
    arguments = (3, 2, 2, [(16, 16), (12, 20)])
    part = "multiscale_discriminator"
    value = submission.probe(part, probes.patch_shapes, *arguments)
    expected = reference.probe(part, probes.patch_shapes, *arguments)
    call = _(
        "build_patch_discriminator(num_labels=3, filters=2, channels=2) on inputs of 16 x 16 and "
        "of 12 x 20"
    )
    explain = _explain(
        mistakes, part, lambda ns: probes.patch_shapes(ns, *arguments), value, same=same_values
    )
    _fail_if_raised(value, call, explain)
    check(
        value == expected,
        _("{call} gives features of shapes {got}; the task's network gives {want}.").format(
            call=call, got=value, want=expected
        ),
        explain,
    )


# ---------------------------------------------------------------- gaugan_losses
LOSS_SEED = 41


@pytest.fixture(scope="module")
def losses(submission, reference):
    value = submission.probe("gaugan_losses", probes.loss_values, LOSS_SEED)
    return value, reference.probe("gaugan_losses", probes.loss_values, LOSS_SEED)


def _loss_explain(mistakes, value, key):
    return _explain(
        mistakes, "gaugan_losses", lambda ns: probes.loss_values(ns, LOSS_SEED), value, key
    )


LOSS_INPUTS = _(
    "two scales of made-up discriminator outputs, each three feature maps (the last the "
    "logits), the second scale half the size"
)


def _compare_loss(value, expected, key, what, mistakes):
    explain = _loss_explain(mistakes, value, key)
    _fail_if_raised(value[key], what, explain)
    assert_close(value[key], expected[key], what, 1e-4, 1e-5, explain)


@pytest.mark.defining
@pytest.mark.part("gaugan_losses")
def test_the_discriminator_hinge_loss(submission, losses, mistakes):
    """The mean over scales of mean(relu(1 - real logits)) + mean(relu(1 + fake logits))?"""
    value, expected = losses
    _compare_loss(
        value,
        expected,
        "d",
        _(
            "discriminator_hinge_loss(real, fake) on {inputs} (the mean over scales of "
            "mean(relu(1 - real logits)) + mean(relu(1 + fake logits)), logits the last feature "
            "of each scale)"
        ).format(inputs=LOSS_INPUTS),
        mistakes,
    )


@pytest.mark.defining
@pytest.mark.part("gaugan_losses")
def test_the_generator_hinge_loss(submission, losses, mistakes):
    """The mean over scales of -mean(fake logits)?"""
    value, expected = losses
    _compare_loss(
        value,
        expected,
        "g",
        _(
            "generator_hinge_loss(fake) on {inputs} (the mean over scales of -mean(fake logits))"
        ).format(inputs=LOSS_INPUTS),
        mistakes,
    )


@pytest.mark.defining
@pytest.mark.part("gaugan_losses")
def test_the_feature_matching_loss(submission, losses, mistakes):
    """The mean over scales of the mean over each scale's features but the logits of
    mean |real - fake|?"""
    value, expected = losses
    _compare_loss(
        value,
        expected,
        "fm",
        _(
            "feature_matching_loss(real, fake) on {inputs} (for each scale, mean |real - fake| "
            "of each feature map but the last, the logits; averaged over those maps, then over "
            "the scales)"
        ).format(inputs=LOSS_INPUTS),
        mistakes,
    )


@pytest.mark.part("gaugan_losses")
def test_feature_matching_holds_the_real_features_constant(submission, losses, mistakes):
    """No gradient to the real features or to the logits; a gradient to every other fake
    feature?"""
    value, _expected = losses
    explain = _loss_explain(mistakes, value, "fm_gradients")
    grads = value["fm_gradients"]
    _fail_if_raised(grads, _("the gradients of feature_matching_loss"), explain)
    real = np.asarray(grads["real"])
    fake = np.asarray(grads["fake"])
    check(
        np.all(real == 0) and np.all(fake[:, -1] == 0) and np.all(fake[:, :-1] > 0),
        _(
            "The gradients of feature_matching_loss(real, fake) reach {real} of the real feature "
            "maps, {logits} of the fake logits and {fake} of the other {count} fake feature "
            "maps: the real features are held constant (keras.ops.stop_gradient), the logits "
            "are left out, and every other fake feature map counts."
        ).format(
            real=int(np.sum(real > 0)),
            logits=int(np.sum(fake[:, -1] > 0)),
            fake=int(np.sum(fake[:, :-1] > 0)),
            count=fake[:, :-1].size,
        ),
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("gaugan_losses")
def test_the_kl_divergence(submission, losses, mistakes):
    """The mean over the batch of -0.5 * sum(1 + log_var - mean ** 2 - exp(log_var))?"""
    value, expected = losses
    _compare_loss(
        value,
        expected,
        "kl",
        _(
            "kl_divergence(mean, log_var), both (4, 5) (the mean over the batch of -0.5 * the "
            "sum over z of (1 + log_var - mean ** 2 - exp(log_var)))"
        ),
        mistakes,
    )


@pytest.mark.part("gaugan_losses")
def test_the_perceptual_loss(submission, losses, mistakes):
    """An extractor of two feature maps, weights 0.5 and 2: sum_i w_i * mean |f_i(real) -
    f_i(fake)|?"""
    value, expected = losses
    _compare_loss(
        value,
        expected,
        "perceptual",
        _(
            "perceptual_loss(extractor, real, fake, [0.5, 2.0]) with an extractor giving two "
            "feature maps (the sum over the maps of weight * mean |f(real) - f(fake)|)"
        ),
        mistakes,
    )


# ---------------------------------------------------------------- gaugan_step
STEP_SEED = 51
STEP_WEIGHTS = (4.0, 0.5, 10.0)  # not the defaults, and far apart: swapped weights show


@pytest.fixture(scope="module")
def stepped(submission, reference):
    found = {}
    for perceptual in (False, True):
        arguments = (STEP_SEED, STEP_WEIGHTS, perceptual)
        found[perceptual] = (
            submission.probe("gaugan_step", probes.step_effects, *arguments),
            reference.probe("gaugan_step", probes.step_effects, *arguments),
        )
    return found


def _step_explain(mistakes, value, key, perceptual=False):
    return _explain(
        mistakes,
        "gaugan_step",
        lambda ns: probes.step_effects(ns, STEP_SEED, STEP_WEIGHTS, perceptual),
        value,
        key,
        _close(1e-3, 1e-5),
    )


STEP_CALL = _(
    "one step(images, label_maps) of make_gaugan_step(generator, encoder, discriminator, SGD "
    "0.05, SGD 0.05, feature_weight=4, kl_weight=0.5) on tiny networks (batches of 2, 8 x 8)"
)


def _stepped_value(stepped, mistakes, key, perceptual=False):
    value, expected = stepped[perceptual]
    explain = _step_explain(mistakes, value, key, perceptual)
    _fail_if_raised(value["returned"], STEP_CALL, explain)
    return value, expected, explain


@pytest.mark.defining
@pytest.mark.part("gaugan_step")
def test_the_step_updates_the_discriminator_with_the_hinge_loss(submission, stepped, mistakes):
    """The discriminator's variables after one step: minus 0.05 times the gradient of the
    hinge loss on real images and generated ones held constant?"""
    value, expected, explain = _stepped_value(stepped, mistakes, "discriminator")
    assert_close(
        value["discriminator"],
        expected["discriminator"],
        _(
            "the discriminator's variables after {call} (d_loss = discriminator_hinge_loss("
            "D([maps, images]), D([maps, fake])), fake = generator([sample_style(*encoder("
            "images)), maps]) held constant; d_optimizer applies its gradients to the "
            "discriminator's variables, first)"
        ).format(call=STEP_CALL),
        1e-3,
        1e-5,
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("gaugan_step")
def test_the_step_trains_the_generator_and_the_encoder_together(submission, stepped, mistakes):
    """The generator's and the encoder's variables after one step, from the updated
    discriminator?"""
    for network in ("generator", "encoder"):
        value, expected, explain = _stepped_value(stepped, mistakes, network)
        assert_close(
            value[network],
            expected[network],
            _(
                "the {network}'s variables after {call} (after the discriminator's update, on a "
                "fresh tape: z = sample_style(*encoder(images)), fake = generator([z, maps]); "
                "g_loss = generator_hinge_loss(D(fake)) + 4 * feature_matching_loss(D(real), "
                "D(fake)) + 0.5 * kl_divergence(mean, log_var); g_optimizer applies its "
                "gradients to the generator's and the encoder's variables together)"
            ).format(network=network, call=STEP_CALL),
            1e-3,
            1e-5,
            explain,
        )


def _perceptual_view(value):
    """The generator after the step and the g_loss it returned: a perceptual term left out
    changes both, one that gives no gradient (its arguments swapped) only the generator."""
    if raised(value) or raised(value["returned"]):
        return value if raised(value) else value["returned"]
    return [value["generator"], value["returned"]["g_loss"]]


@pytest.mark.part("gaugan_step")
def test_the_step_adds_the_perceptual_loss_when_given(submission, stepped, mistakes):
    """With a perceptual loss and weight 10: the generator's variables after one step?"""
    value, expected, _unused = _stepped_value(stepped, mistakes, "generator", perceptual=True)
    explain = _explain(
        mistakes,
        "gaugan_step",
        lambda ns: _perceptual_view(probes.step_effects(ns, STEP_SEED, STEP_WEIGHTS, True)),
        _perceptual_view(value),
        same=_close(1e-3, 1e-5),
    )
    assert_close(
        value["generator"],
        expected["generator"],
        _(
            "the generator's variables after {call}, given perceptual (real, fake) -> 3 * "
            "mean |real - fake| (the real held constant: its gradient reaches only the second "
            "argument) and perceptual_weight=10 (10 * perceptual(images, fake) added to g_loss)"
        ).format(call=STEP_CALL),
        1e-3,
        1e-5,
        explain,
    )


@pytest.mark.part("gaugan_step")
def test_the_step_returns_its_losses(submission, stepped, mistakes):
    """{"d_loss", "g_loss", "feature_loss", "kl_loss", "perceptual_loss"}, the reference's
    values?"""
    value, expected, explain = _stepped_value(stepped, mistakes, "returned")
    got, want = value["returned"], expected["returned"]
    check(
        sorted(got) == sorted(want),
        _("{call} returns the keys {got}; the task asks for {want}.").format(
            call=STEP_CALL, got=sorted(got), want=sorted(want)
        ),
        explain,
    )
    assert_close(
        [got[k] for k in sorted(want)],
        [want[k] for k in sorted(want)],
        _(
            "what {call} returns, {keys} in that order (g_loss the generator's whole loss, "
            "perceptual_loss 0 without a perceptual loss)"
        ).format(call=STEP_CALL, keys=", ".join(sorted(want))),
        1e-3,
        1e-5,
        explain,
    )


@pytest.mark.part("gaugan_step")
def test_each_optimizer_updates_its_own_networks(submission, stepped, mistakes):
    """d_optimizer on the discriminator, then g_optimizer on the generator and the encoder, once
    each?"""
    value, expected, explain = _stepped_value(stepped, mistakes, "updates")
    check(
        value["updates"] == expected["updates"],
        _("{call} applied gradients as {got}; the task asks for {want}.").format(
            call=STEP_CALL, got=value["updates"], want=expected["updates"]
        ),
        explain,
    )


@pytest.mark.part("gaugan_step")
def test_the_step_is_a_tf_function(submission, stepped):
    """make_gaugan_step returns a tf.function?"""
    value, _expected = stepped[False]
    check(
        value["is_function"],
        _("make_gaugan_step must return a function decorated with @tf.function."),
    )


# ---------------------------------------------------------------- trained_gaugan
TRAINED_WEIGHTS = "gaugan_generator.weights.h5"
TRAINED_SETTINGS = "gaugan_generator.json"
HANDED_IN_MAPS = 300


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds[CHAPTER][name]


def _test_maps_or_skip():
    """300 test label maps of 32 x 32, picked with the grading salt: one-hot maps, the item
    masks and the classes."""
    from igcourse.data import DataError
    from igcourse.data.derived.segmentation import NUM_LABELS, build_label_maps

    try:
        maps = build_label_maps("test", size=32, seed=0)
    except DataError as error:
        pytest.skip(str(error))
    chosen = seeded_rng("gaugan handed-in maps").choice(len(maps.labels), HANDED_IN_MAPS, False)
    labels = maps.labels[chosen]
    return np.eye(NUM_LABELS, dtype=np.float32)[labels], labels > 0, maps.classes[chosen]


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generator's figures on held-out label maps."""
    maps, masks, classes = _test_maps_or_skip()
    result = submission.probe(
        None, probes.handed_in_generator, TRAINED_WEIGHTS, TRAINED_SETTINGS, maps, 0
    )
    figures = gaugan_quality(result["generated"], masks, classes) if "generated" in result else None
    return result, figures


def _figures_or_fail(handed_in):
    result, figures = handed_in
    fail_unless_loaded(
        result, "build_gaugan_generator", TRAINED_WEIGHTS, TRAINED_SETTINGS, probes.SETTINGS_KEYS
    )
    if "sizes" in result:
        fail(
            _(
                "The handed-in generator was built for {labels} labels, {size} x {size} pixels and "
                "{channels} channels; the course's label maps have 11 labels, 32 x 32 pixels, "
                "grey images (1 channel): save the generator the notebook trains."
            ).format(
                labels=result["sizes"][0], size=result["sizes"][3], channels=result["sizes"][4]
            )
        )
    _fail_if_raised(result, _("painting 300 held-out label maps with the handed-in generator"))
    return figures


@pytest.mark.handed_in
@pytest.mark.part("trained_gaugan")
def test_the_evaluator_recognises_the_painted_class(submission, handed_in):
    """Does the evaluator file the generated items under the class their label map paints?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("gaugan_class_consistency_min")
    check(
        figures["consistency"] >= least,
        _(
            "The evaluator files {share:.0%} of your generator's items (300 held-out label maps, "
            "z drawn from N(0, 1)) under the class their label map paints; the course asks for "
            "at least {least:.0%}. Train longer, and check that SPADE feeds the label map to "
            "every block."
        ).format(share=figures["consistency"], least=least),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_gaugan")
def test_the_generated_item_fills_the_painted_mask(submission, handed_in):
    """Does the generated foreground cover the label map's item and little else?"""
    figures = _figures_or_fail(handed_in)
    least = _threshold("gaugan_foreground_iou_min")
    check(
        figures["iou"] >= least,
        _(
            "The bright pixels (above {cut} in [-1, 1]) of your generator's items overlap the "
            "label maps' item masks with a mean intersection over union of {iou:.2f} (300 "
            "held-out maps); the course asks for at least {least:.2f}. The label map decides "
            "where the item is: train longer."
        ).format(cut=FOREGROUND_CUT, iou=figures["iou"], least=least),
    )
