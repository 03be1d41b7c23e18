"""Hidden checks of ProGAN: pixel normalisation, the minibatch standard deviation, the equalised
layers, the growing generator and critic, the losses, the training step and the handed-in
generator.

Every check gets its values through a probe (probes_progan.py) and judges them here, against
the reference's values or the maths. The networks and the step run with the other parts' code
replaced by correct stand-ins (probes_progan.STAND_INS), so that a mistake costs its own part
alone. Sizes differ from the notebook's (other batches, groups, gains, epsilon 0.5 where epsilon
must show).
"""

from functools import partial
from pathlib import Path

import numpy as np
import probes_progan as probes
import pytest

from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.mutants import same_values
from igcourse.grading.probing import raised
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

CHAPTER = "ch07_face_generation"
PART_NAMES = {
    "pixel_norm": ["PixelNorm"],
    "minibatch_std": ["MinibatchStd"],
    "equalized_layers": ["EqualizedDense", "EqualizedConv2D"],
    "progan_generator": ["fade_in", "ProGenerator"],
    "progan_discriminator": ["ProDiscriminator"],
    "progan_losses": ["gradient_penalty", "progan_critic_loss", "progan_generator_loss"],
    "progan_step": ["make_progan_step"],
    "trained_progan": [],  # handed in: graded from the files beside the notebook
}

test_public_checks = public_checks_test(CHAPTER, PART_NAMES, probes)

BIG_EPSILON = 0.5  # where epsilon must show
close = partial(same_values, rtol=1e-4, atol=1e-5)


def _pick(result, key):
    """result[key], or result[k1][k2] for a key (k1, k2); the record of an error as it is."""
    if key is None or raised(result):
        return result
    for step in key if isinstance(key, tuple) else (key,):
        result = result[step]
    return result


def _explain(mistakes, part, probe, value, key=None):
    """The zoo's names for what `probe(ns)` (or its [key]) gave, for a failed check."""
    return partial(
        mistakes.explain, part, lambda ns: _pick(probe(ns), key), _pick(value, key), close
    )


def _first_lost(kept):
    """The first stage whose variables no longer include the stage before's, or None."""
    return next((stage for stage, held in enumerate(kept) if not held), None)


def _fail_if_raised(value, call, explain=None):
    if raised(value):
        fail(_("{call} raised {error}.").format(call=call, error=value["error"]), explain)


# ---------------------------------------------------------------- pixel_norm
def _pixel_input():
    """(3, 4, 5, 6): pixels of very different sizes, one nearly zero (where epsilon shows)."""
    rng = seeded_rng("pixel norm input")
    x = rng.standard_normal((3, 4, 5, 6)) * rng.uniform(0.2, 4.0, (3, 4, 5, 1))
    x[0, 0, 0] *= 0.01
    return x.astype(np.float32)


def _pixel_probe(ns):
    return probes.pixel_norm_values(ns, _pixel_input(), BIG_EPSILON)


def _pixel_norm(x, epsilon):
    x = np.asarray(x, np.float64)
    return x / np.sqrt((x**2).mean(axis=-1, keepdims=True) + epsilon)


@pytest.fixture(scope="module")
def pixel(submission):
    return submission.probe("pixel_norm", probes.pixel_norm_values, _pixel_input(), BIG_EPSILON)


PIXEL_CALL = _("PixelNorm(epsilon=0.5) on features (3, 4, 5, 6)")


@pytest.mark.defining
@pytest.mark.part("pixel_norm")
def test_pixel_norm_divides_each_pixel_by_its_root_mean_square(submission, pixel, mistakes):
    """x / sqrt(mean over channels of x^2 + epsilon), each pixel on its own?"""
    explain = _explain(mistakes, "pixel_norm", _pixel_probe, pixel, "output")
    _fail_if_raised(pixel, PIXEL_CALL, explain)
    x = _pixel_input()
    assert_close(
        pixel["output"],
        _pixel_norm(x, BIG_EPSILON),
        _("{call} (x / sqrt(mean over the channel axis of x^2 + epsilon), per pixel)").format(
            call=PIXEL_CALL
        ),
        1e-4,
        1e-5,
        explain,
    )
    assert_close(
        pixel["default"],
        _pixel_norm(x, 1e-8),
        _("PixelNorm() with its default epsilon 1e-8 on the same features"),
        1e-4,
        1e-5,
        _explain(mistakes, "pixel_norm", _pixel_probe, pixel, "default"),
    )


@pytest.mark.property
@pytest.mark.part("pixel_norm")
def test_pixel_norm_has_no_weights(submission, pixel):
    """Pixel normalisation learns nothing?"""
    _fail_if_raised(pixel, PIXEL_CALL)
    check(
        pixel["weights"] == 0,
        _("PixelNorm has {count} weights; it has none in ProGAN.").format(count=pixel["weights"]),
    )


# ---------------------------------------------------------------- minibatch_std
def _group_cases():
    """Batches whose samples differ in scale from group to group (so that which samples form a
    group shows): 8 samples in groups of 4 and of 2, and 3 samples with group_size 4 (one
    group)."""
    rng = seeded_rng("minibatch std input")
    scales = np.array([0.3, 0.3, 2.0, 2.0, 0.7, 3.5, 0.5, 1.2])[:, None, None, None]
    eight = rng.standard_normal((8, 3, 2, 5)) * scales + 0.5
    three = rng.standard_normal((3, 2, 4, 3)) * np.array([0.5, 1.0, 3.0])[:, None, None, None]
    eight, three = eight.astype(np.float32), three.astype(np.float32)
    return [[eight, 4], [eight, 2], [three, 4]]


def _minibatch_probe(ns):
    return probes.minibatch_std_values(ns, _group_cases(), BIG_EPSILON)


def _appended(x, group, epsilon):
    """The task text's channel: per group of consecutive samples, sqrt(variance over the group
    (divisor G) + epsilon), averaged over pixels and channels."""
    x = np.asarray(x, np.float64)
    group = min(group, len(x))
    out = np.empty(x.shape[:3] + (1,))
    for start in range(0, len(x), group):
        members = x[start : start + group]
        out[start : start + group] = np.sqrt(members.var(axis=0) + epsilon).mean()
    return np.concatenate([x, out], axis=-1)


@pytest.fixture(scope="module")
def minibatch(submission):
    return submission.probe(
        "minibatch_std", probes.minibatch_std_values, _group_cases(), BIG_EPSILON
    )


@pytest.mark.defining
@pytest.mark.part("minibatch_std")
def test_minibatch_std_appends_each_groups_deviation(submission, minibatch, mistakes):
    """Groups of consecutive samples, the deviation over each group, averaged, as one more
    channel?"""
    explain = _explain(mistakes, "minibatch_std", _minibatch_probe, minibatch, "outputs")
    _fail_if_raised(minibatch, _("MinibatchStd(group_size, epsilon=0.5)"), explain)
    cases = _group_cases()
    names = [
        _("MinibatchStd(group_size=4, epsilon=0.5) on features (8, 3, 2, 5)"),
        _("MinibatchStd(group_size=2, epsilon=0.5) on the same features"),
        _("MinibatchStd(group_size=4, epsilon=0.5) on a batch of 3 (one group)"),
    ]
    for (x, group), got, name in zip(cases, minibatch["outputs"], names, strict=True):
        assert_close(
            got,
            _appended(x, group, BIG_EPSILON),
            _(
                "{call} (the input, then one channel: per group of consecutive samples, "
                "sqrt(variance over the group's samples + epsilon) averaged over pixels and "
                "channels)"
            ).format(call=name),
            1e-4,
            1e-5,
            explain,
        )


# ---------------------------------------------------------------- equalized_layers
def _equalized_inputs():
    rng = seeded_rng("equalized inputs")
    dense_x = rng.standard_normal((3, 5)).astype(np.float32)
    conv_x = rng.standard_normal((2, 5, 7, 3)).astype(np.float32)
    return dense_x, conv_x


def _equalized_probe(ns):
    return probes.equalized_values(ns, 5, *_equalized_inputs())


@pytest.fixture(scope="module")
def equalized(submission):
    return submission.probe("equalized_layers", probes.equalized_values, 5, *_equalized_inputs())


def _dense_expected(x, label, shape, gain):
    kernel = probes.normal(f"{label} kernel {shape}", shape).astype(np.float64)
    bias = probes.normal(f"{label} bias {(shape[1],)}", (shape[1],), 0.3).astype(np.float64)
    scale = gain / np.sqrt(shape[0])
    return x @ (kernel * scale) + bias, x @ (2 * kernel * scale) + bias


def _conv_expected(x, label, shape, gain):
    import tensorflow as tf

    kernel = probes.normal(f"{label} kernel {shape}", shape)
    bias = probes.normal(f"{label} bias {(shape[3],)}", (shape[3],), 0.3).astype(np.float64)
    scale = gain / np.sqrt(shape[0] * shape[1] * shape[2])
    outputs = [
        np.asarray(tf.nn.conv2d(x, kernel * factor * scale, 1, "SAME"), np.float64) + bias
        for factor in (1.0, 2.0)
    ]
    return outputs


EQUALIZED_CASES = {
    "dense": (_("EqualizedDense(6, gain=1.7) on (3, 5)"), (5, 6), 1.7),
    "dense_default": (_("EqualizedDense(4) on (3, 5), its default gain sqrt(2)"), (5, 4), 2**0.5),
    "conv": (_("EqualizedConv2D(4, 3, gain=1.3) on (2, 5, 7, 3)"), (3, 3, 3, 4), 1.3),
    "conv_1x1": (_("EqualizedConv2D(3, 1) on (2, 5, 7, 3)"), (1, 1, 3, 3), 2**0.5),
    "conv_default": (
        _("EqualizedConv2D(2) on (2, 5, 7, 3), kernel size 3 by default"),
        (3, 3, 3, 2),
        2**0.5,
    ),
}


def _equalized_case(equalized, mistakes, key, which):
    call, shape, gain = EQUALIZED_CASES[key]
    explain = _explain(mistakes, "equalized_layers", _equalized_probe, equalized, (key, which))
    _fail_if_raised(equalized, _("EqualizedDense or EqualizedConv2D"), explain)
    got = equalized[key]
    check(
        got["shapes"] == [list(shape), [shape[-1]]],
        _("{call}: kernel and bias of shapes {got}; expected {expected}.").format(
            call=call, got=got["shapes"], expected=[list(shape), [shape[-1]]]
        ),
        _explain(mistakes, "equalized_layers", _equalized_probe, equalized, (key, "shapes")),
    )
    check(
        got["trainable"] == 2,
        _("{call}: {count} trainable weights; the kernel and the bias are both trained.").format(
            call=call, count=got["trainable"]
        ),
        _explain(mistakes, "equalized_layers", _equalized_probe, equalized, (key, "trainable")),
    )
    dense_x, conv_x = _equalized_inputs()
    if key.startswith("dense"):
        expected = _dense_expected(
            np.asarray(dense_x, np.float64), key.replace("_", " "), shape, gain
        )
    else:
        expected = _conv_expected(conv_x, key.replace("_", " "), shape, gain)
    return got, expected, call, explain


@pytest.mark.defining
@pytest.mark.part("equalized_layers")
@pytest.mark.parametrize("key", ["dense", "dense_default"])
def test_equalized_dense_scales_its_kernel(submission, equalized, mistakes, key):
    """x @ (kernel * gain / sqrt(fan_in)) + bias, with the kernel and bias set?"""
    got, expected, call, explain = _equalized_case(equalized, mistakes, key, "output")
    assert_close(
        got["output"],
        expected[0],
        _("{call}, kernel and bias set (x @ (kernel * gain / sqrt(fan_in)) + bias)").format(
            call=call
        ),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("equalized_layers")
@pytest.mark.parametrize("key", ["conv", "conv_1x1", "conv_default"])
def test_equalized_conv_scales_its_kernel(submission, equalized, mistakes, key):
    """The same-padded convolution with kernel * gain / sqrt(k * k * C_in), plus bias?"""
    got, expected, call, explain = _equalized_case(equalized, mistakes, key, "output")
    assert_close(
        got["output"],
        expected[0],
        _(
            "{call}, kernel and bias set (the stride-1, same-padded convolution with kernel * "
            "gain / sqrt(k * k * C_in), plus bias)"
        ).format(call=call),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.part("equalized_layers")
@pytest.mark.parametrize("key", ["dense", "conv"])
def test_equalized_scale_is_applied_at_run_time(submission, equalized, mistakes, key):
    """With the stored kernel doubled, does the output follow (the scale applied in call)?"""
    got, expected, call, explain = _equalized_case(equalized, mistakes, key, "doubled")
    assert_close(
        got["doubled"],
        expected[1],
        _(
            "{call} after its stored kernel was doubled (the scale gain / sqrt(fan_in) applies "
            "to the current kernel in every call)"
        ).format(call=call),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.part("equalized_layers")
def test_equalized_kernels_are_drawn_from_unit_normal(submission, equalized, mistakes):
    """Freshly built kernels (256 units on 128 inputs; 64 filters of 3 x 3 x 32): N(0, 1)?"""
    explain = _explain(mistakes, "equalized_layers", _equalized_probe, equalized, "spreads")
    _fail_if_raised(equalized, _("EqualizedDense(256) or EqualizedConv2D(64, 3)"), explain)
    for (std, mean), name in zip(
        equalized["spreads"], ("EqualizedDense(256)", "EqualizedConv2D(64, 3)"), strict=True
    ):
        check(
            0.9 < std < 1.1 and abs(mean) < 0.05,
            _(
                "A fresh {name}'s kernel has mean {mean:.3f} and standard deviation {std:.3f}; "
                "the equalised learning rate stores N(0, 1) weights (standard deviation 1) and "
                "applies gain / sqrt(fan_in) at run time."
            ).format(name=name, mean=mean, std=std),
            explain,
        )


# ---------------------------------------------------------------- the networks
LATENT, GEN_FILTERS, GEN_SEED = 6, 2, 11


def _latents():
    return probes.normal("generator z", (4, LATENT))


def _generator_probe(ns):
    return probes.generator_values(ns, GEN_SEED, LATENT, GEN_FILTERS, _latents())


@pytest.fixture(scope="module")
def grown(submission, reference):
    arguments = (GEN_SEED, LATENT, GEN_FILTERS, _latents())
    value = submission.probe("progan_generator", probes.generator_values, *arguments)
    return value, reference.probe("progan_generator", probes.generator_values, *arguments)


GEN_CALL = _("ProGenerator(latent_dim=6, filters=2) on z (4, 6)")


def _grown(grown, mistakes, key):
    value, expected = grown
    explain = _explain(mistakes, "progan_generator", _generator_probe, value, key)
    _fail_if_raised(value, GEN_CALL, explain)
    return value, expected, explain


@pytest.mark.defining
@pytest.mark.part("progan_generator")
def test_generator_makes_each_stages_size(submission, grown, mistakes):
    """Images (4, 4 * 2**s, 4 * 2**s, 1) at stages 0 to 3?"""
    value, _expected, explain = _grown(grown, mistakes, "images")
    for stage, images in enumerate(value["images"]):
        size = 4 * 2**stage
        check(
            np.shape(images) == (4, size, size, 1),
            _("{call} at stage {stage} made images of shape {got}; expected {expected}.").format(
                call=GEN_CALL, stage=stage, got=np.shape(images), expected=(4, size, size, 1)
            ),
            explain,
        )


@pytest.mark.defining
@pytest.mark.part("progan_generator")
def test_generator_at_alpha_zero_is_the_stage_before(submission, grown, mistakes):
    """At alpha 0, stage s gives stage s - 1's images upsampled; at 0.5, halfway?"""
    value, _expected, explain = _grown(grown, mistakes, "faded")
    for stage in (1, 2, 3):
        assert_close(
            value["faded"][stage - 1],
            np.repeat(np.repeat(value["images"][stage - 1], 2, axis=1), 2, axis=2),
            _(
                "{call} at stage {stage}, alpha 0 (the old path: stage {before}'s images, "
                "upsampled by nearest neighbour)"
            ).format(call=GEN_CALL, stage=stage, before=stage - 1),
            1e-4,
            1e-5,
            explain,
        )
        assert_close(
            value["half"][stage - 1],
            0.5 * np.asarray(value["faded"][stage - 1]) + 0.5 * np.asarray(value["images"][stage]),
            _("{call} at stage {stage}, alpha 0.5 (halfway between alpha 0 and alpha 1)").format(
                call=GEN_CALL, stage=stage
            ),
            1e-4,
            1e-5,
            _explain(mistakes, "progan_generator", _generator_probe, value, "half"),
        )


@pytest.mark.part("progan_generator")
def test_generator_keeps_its_layers_and_grows_by_the_table(submission, grown, mistakes):
    """Every stage keeps the variables of the stages before it, and has the parameters the
    task's table gives?"""
    value, expected, explain = _grown(grown, mistakes, "params")
    check(
        all(value["kept"]),
        _(
            "{call}: at stage {stage} the generator's trainable variables no longer include "
            "those of the stage before. Create every stage's layers once, in __init__, and call "
            "the same objects at every stage, so that growing keeps the trained weights."
        ).format(call=GEN_CALL, stage=_first_lost(value["kept"])),
        explain,
    )
    check(
        value["params"] == expected["params"],
        _(
            "{call}: after stages 0, 1, 2 and 3 the generator has {got} trainable parameters; "
            "the task's layers (the base, a block per stage, a to-RGB layer per stage) have "
            "{expected}."
        ).format(call=GEN_CALL, got=value["params"], expected=expected["params"]),
        explain,
    )


@pytest.mark.part("progan_generator")
def test_generator_uses_the_right_paths_while_fading(submission, grown, mistakes):
    """At stage 2: alpha 0 uses no part of block 2 or to-RGB 2; alpha 1 no part of to-RGB 1?"""
    value, expected, explain = _grown(grown, mistakes, "taking_part")
    check(
        value["taking_part"] == expected["taking_part"],
        _(
            "{call} at stage 2: the parameters with a gradient of the images at alpha 0, 0.5 "
            "and 1 number {got}; the task's paths give {expected} (alpha 0 only the old path: "
            "stage 1's layers and its to-RGB; alpha 1 only the new: the blocks and to-RGB 2)."
        ).format(
            call=GEN_CALL,
            got=value["taking_part"],
            expected=expected["taking_part"],
        ),
        explain,
    )


@pytest.mark.part("progan_generator")
def test_generator_normalises_z(submission, grown, mistakes):
    """Is z pixel-normalised first, so that 3 z gives the same images?"""
    value, _expected, explain = _grown(grown, mistakes, "scaled_z")
    unscaled, scaled = value["scaled_z"]
    assert_close(
        scaled,
        unscaled,
        _(
            "{call} at stage 2, its biases set as after training, with z multiplied by 3 (the "
            "base pixel-normalises z first, so the images stay the same)"
        ).format(call=GEN_CALL),
        1e-3,
        1e-4,
        explain,
    )


@pytest.mark.part("progan_generator")
def test_generator_computes_the_tables_network(submission, grown, mistakes):
    """With every weight set from a draw that depends on its shape alone, the images of the
    task's network (base, blocks, to-RGB, gains, order of its layers)?"""
    value, expected, explain = _grown(grown, mistakes, "seeded")
    for index, stage in enumerate((0, 2, 3)):
        assert_close(
            value["seeded"][index],
            expected["seeded"][index],
            _(
                "{call} with every weight set from a seeded draw of its shape (kernels N(0, 1), "
                "biases nonzero), at stage {stage} and alpha 0.5: the base (pixel norm of z, "
                "EqualizedDense(4 * 4 * F_0, gain=sqrt(2) / 4), reshape, LeakyReLU, pixel norm, "
                "3 x 3 conv, LeakyReLU, pixel norm), the blocks and the linear to-RGB layers "
                "(gain 1) as the task lists them"
            ).format(call=GEN_CALL, stage=stage),
            1e-3,
            1e-4,
            explain,
        )


@pytest.mark.part("progan_generator")
def test_generator_output_is_linear(submission, grown, mistakes):
    """With its to-RGB kernels 100 times larger, does the output grow past 1 (no tanh)?"""
    value, _expected, explain = _grown(grown, mistakes, "loud")
    check(
        value["loud"] > 2.0,
        _(
            "{call}: with every to-RGB kernel (1 x 1, one output channel) 100 times larger, "
            "the largest output is {loud:.3f}; to-RGB is linear (no tanh or other squashing), "
            "so it should grow with its kernel."
        ).format(call=GEN_CALL, loud=value["loud"]),
        explain,
    )


@pytest.mark.part("progan_generator")
def test_generator_kernels_are_equalised(submission, grown, mistakes):
    """Are all its kernels stored as N(0, 1) (equalised layers everywhere)?"""
    value, _expected, explain = _grown(grown, mistakes, "spread")
    std, mean = value["spread"]
    check(
        0.85 < std < 1.15,
        _(
            "{call}: its stored kernels have standard deviation {std:.3f}; with EqualizedDense "
            "and EqualizedConv2D everywhere (the base, the blocks, to-RGB) they are N(0, 1)."
        ).format(call=GEN_CALL, std=std),
        explain,
    )


CRITIC_FILTERS, CRITIC_SEED = 2, 13


def _critic_images():
    return probes.normal("critic images", (8, 32, 32, 1), 0.6)


def _critic_probe(ns):
    return probes.discriminator_values(ns, CRITIC_SEED, CRITIC_FILTERS, _critic_images())


@pytest.fixture(scope="module")
def critic(submission, reference):
    arguments = (CRITIC_SEED, CRITIC_FILTERS, _critic_images())
    value = submission.probe("progan_discriminator", probes.discriminator_values, *arguments)
    return value, reference.probe("progan_discriminator", probes.discriminator_values, *arguments)


CRITIC_CALL = _("ProDiscriminator(filters=2) on 8 images, average-pooled to each stage's size")


def _critic(critic, mistakes, key):
    value, expected = critic
    explain = _explain(mistakes, "progan_discriminator", _critic_probe, value, key)
    _fail_if_raised(value, CRITIC_CALL, explain)
    return value, expected, explain


@pytest.mark.defining
@pytest.mark.part("progan_discriminator")
def test_critic_scores_each_stage(submission, critic, mistakes):
    """One score per image, (8, 1), at every stage?"""
    value, _expected, explain = _critic(critic, mistakes, "scores")
    for stage, scores in enumerate(value["scores"]):
        check(
            np.shape(scores) == (8, 1),
            _("{call}: at stage {stage} the scores have shape {got}; expected (8, 1).").format(
                call=CRITIC_CALL, stage=stage, got=np.shape(scores)
            ),
            explain,
        )


@pytest.mark.defining
@pytest.mark.part("progan_discriminator")
def test_critic_at_alpha_zero_is_the_stage_before(submission, critic, mistakes):
    """At alpha 0, stage s scores the images as stage s - 1 scores them average-pooled?"""
    value, _expected, explain = _critic(critic, mistakes, "faded")
    for stage in (1, 2, 3):
        assert_close(
            value["faded"][stage - 1],
            value["scores"][stage - 1],
            _(
                "{call}: stage {stage} at alpha 0 (the old path: from-RGB of stage {before} on "
                "the images average-pooled to half size, which is how stage {before} scores "
                "them)"
            ).format(call=CRITIC_CALL, stage=stage, before=stage - 1),
            1e-4,
            1e-5,
            explain,
        )


@pytest.mark.part("progan_discriminator")
def test_critic_keeps_its_layers_and_grows_by_the_table(submission, critic, mistakes):
    """Every stage keeps the variables before it, with the task's parameter counts?"""
    value, expected, explain = _critic(critic, mistakes, "params")
    check(
        all(value["kept"]),
        _(
            "{call}: at stage {stage} the critic's trainable variables no longer include those "
            "of the stage before. Create every stage's layers once, in __init__, and reuse them."
        ).format(call=CRITIC_CALL, stage=_first_lost(value["kept"])),
        explain,
    )
    check(
        value["params"] == expected["params"],
        _(
            "{call}: after stages 0, 1, 2 and 3 the critic has {got} trainable parameters; the "
            "task's layers (a from-RGB per stage, a block per stage, the base) have {expected}."
        ).format(call=CRITIC_CALL, got=value["params"], expected=expected["params"]),
        explain,
    )


@pytest.mark.part("progan_discriminator")
def test_critic_uses_the_right_paths_while_fading(submission, critic, mistakes):
    """At stage 2: alpha 0 uses no part of block 2 or from-RGB 2; alpha 1 none of from-RGB 1?"""
    value, expected, explain = _critic(critic, mistakes, "taking_part")
    check(
        value["taking_part"] == expected["taking_part"],
        _(
            "{call} at stage 2: the parameters with a gradient of the scores at alpha 0, 0.5 "
            "and 1 number {got}; the task's paths give {expected}."
        ).format(
            call=CRITIC_CALL,
            got=value["taking_part"],
            expected=expected["taking_part"],
        ),
        explain,
    )


@pytest.mark.part("progan_discriminator")
def test_critic_computes_the_tables_network(submission, critic, mistakes):
    """With every weight set from a draw that depends on its shape alone, the scores of the
    task's network (from-RGB, blocks, base, gains, a linear score)?"""
    value, expected, explain = _critic(critic, mistakes, "seeded")
    for index, stage in enumerate((0, 2, 3)):
        assert_close(
            value["seeded"][index],
            expected["seeded"][index],
            _(
                "{call} with every weight set from a seeded draw of its shape (kernels N(0, 1), "
                "biases nonzero), at stage {stage} and alpha 0.5: from-RGB (1 x 1 conv, "
                "LeakyReLU), the blocks, and the base (MinibatchStd, 3 x 3 conv, LeakyReLU, "
                "flatten, EqualizedDense(F_0), LeakyReLU, EqualizedDense(1, gain=1.0), no "
                "activation on the score) as the task lists them"
            ).format(call=CRITIC_CALL, stage=stage),
            1e-3,
            1e-4,
            explain,
        )


@pytest.mark.part("progan_discriminator")
def test_critic_sees_its_group(submission, critic, mistakes):
    """Sample 0's score depends on samples 1 to 3 (group_size 4) or 1 (group_size 2) only?"""
    value, _expected, explain = _critic(critic, mistakes, "depends")
    for key, group in (("depends", 4), ("depends_pairs", 2)):
        sizes = np.asarray(value[key])
        linked = [j for j in range(1, 8) if sizes[j] > 1e-7 * max(sizes[0], 1e-12)]
        check(
            linked == list(range(1, group)),
            _(
                "ProDiscriminator(filters=2, group_size={group}) at stage 1: sample 0's score "
                "depends on samples {linked} of the batch of 8; the base's MinibatchStd(group_"
                "size) should link it to samples {expected} (its group) and no others."
            ).format(group=group, linked=linked, expected=list(range(1, group))),
            _explain(mistakes, "progan_discriminator", _critic_probe, value, key),
        )


# ---------------------------------------------------------------- progan_losses
def _penalty_inputs():
    rng = seeded_rng("penalty inputs")
    real = rng.standard_normal((5, 3, 4, 2)).astype(np.float32)
    fake = (0.5 * rng.standard_normal((5, 3, 4, 2)) - 0.4).astype(np.float32)
    epsilon = rng.uniform(0.05, 0.95, (5, 1, 1, 1)).astype(np.float32)
    weights = rng.uniform(0.1, 1.2, (3, 4, 2)).astype(np.float32)
    return real, fake, epsilon, weights


def _penalty_probe(ns):
    return probes.penalty_values(ns, *_penalty_inputs())


@pytest.fixture(scope="module")
def penalty(submission, reference):
    value = submission.probe("progan_losses", probes.penalty_values, *_penalty_inputs())
    return value, reference.probe("progan_losses", probes.penalty_values, *_penalty_inputs())


@pytest.mark.defining
@pytest.mark.part("progan_losses")
def test_gradient_penalty_per_sample(submission, penalty, mistakes):
    """mean_i (||grad||_i - 1)^2 at eps * real + (1 - eps) * fake, each sample's own norm?"""
    value, expected = penalty
    explain = _explain(mistakes, "progan_losses", _penalty_probe, value, "plain")
    _fail_if_raised(value, _("gradient_penalty"), explain)
    real, fake, epsilon, weights = (np.asarray(a, np.float64) for a in _penalty_inputs())
    mixed = epsilon * real + (1 - epsilon) * fake
    norms = np.sqrt(((2 * weights * mixed) ** 2).sum(axis=(1, 2, 3)))
    assert_close(
        value["plain"],
        np.mean((norms - 1.0) ** 2),
        _(
            "gradient_penalty for 5 samples and a critic scoring each image x as sum(w * x^2) "
            "(so its gradient is 2 w x): mean over samples of (||gradient||_2 - 1)^2, each "
            "sample's norm over its own pixels and channels, at eps * real + (1 - eps) * fake"
        ),
        1e-4,
        1e-6,
        explain,
    )
    assert_close(
        value["coupled"],
        expected["coupled"],
        _(
            "gradient_penalty for a critic whose scores also share a term over the batch (as "
            "the minibatch standard deviation makes them): the gradient of the sum of the "
            "scores, for the whole mixed batch at once"
        ),
        1e-4,
        1e-6,
        _explain(mistakes, "progan_losses", _penalty_probe, value, "coupled"),
    )


def _loss_inputs():
    rng = seeded_rng("loss inputs")
    real = (rng.standard_normal((6, 1)) + 1.5).astype(np.float32)
    fake = (rng.standard_normal((6, 1)) - 0.8).astype(np.float32)
    return real, fake, 0.37


def _loss_probe(ns):
    return probes.loss_values(ns, *_loss_inputs())


@pytest.mark.defining
@pytest.mark.part("progan_losses")
def test_losses_follow_the_formulas(submission, mistakes):
    """L_D = mean(fake) - mean(real) + gp * penalty + drift * mean(real^2); L_G = -mean(fake)?"""
    value = submission.probe("progan_losses", probes.loss_values, *_loss_inputs())
    real, fake, penalty_value = _loss_inputs()
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    wasserstein = fake.mean() - real.mean()
    drift = (real**2).mean()
    for key, expected, call in (
        (
            "critic",
            wasserstein + 10 * penalty_value + 0.001 * drift,
            _(
                "progan_critic_loss(real_scores, fake_scores, penalty=0.37) with its default "
                "weights (mean(fake) - mean(real) + 10 * penalty + 0.001 * mean(real^2))"
            ),
        ),
        (
            "weighted",
            wasserstein + 3 * penalty_value + 0.25 * drift,
            _("progan_critic_loss(real_scores, fake_scores, 0.37, gp_weight=3, drift_weight=0.25)"),
        ),
        ("generator", -fake.mean(), _("progan_generator_loss(fake_scores) (-mean(fake))")),
    ):
        explain = _explain(mistakes, "progan_losses", _loss_probe, value, key)
        _fail_if_raised(value, call, explain)
        assert_close(value[key], expected, call, 1e-4, 1e-6, explain)


# ---------------------------------------------------------------- progan_step
STEP_SEED, STEP_STAGE, STEP_LATENT = 17, 1, 5
RATES = [0.05, 0.05]


def _step_inputs():
    rng = seeded_rng("step inputs")
    real = rng.uniform(-1, 1, (4, 8, 8, 1)).astype(np.float32)
    critic_z = rng.standard_normal((4, STEP_LATENT)).astype(np.float32)
    generator_z = rng.standard_normal((4, STEP_LATENT)).astype(np.float32)
    epsilon = rng.uniform(0.1, 0.9, (4, 1, 1, 1)).astype(np.float32)
    return real, critic_z, generator_z, epsilon, 0.4


def _step_probe(ns, rates=RATES):
    return probes.step_values(ns, STEP_SEED, STEP_STAGE, *_step_inputs(), rates)


@pytest.fixture(scope="module")
def stepped(submission, reference):
    arguments = (STEP_SEED, STEP_STAGE, *_step_inputs(), RATES)
    value = submission.probe("progan_step", probes.step_values, *arguments)
    return value, reference.probe("progan_step", probes.step_values, *arguments)


STEP_CALL = _(
    "make_progan_step(generator, critic, SGD(0.05), SGD(0.05), stage=1) on small networks of "
    "the same interface, one step at alpha 0.4"
)


@pytest.mark.defining
@pytest.mark.part("progan_step")
def test_step_updates_as_the_task_says(submission, stepped, mistakes):
    """The losses, and both networks' weights after one step, as the task's order gives?"""
    value, expected = stepped
    explain = _explain(mistakes, "progan_step", _step_probe, value, "losses")
    _fail_if_raised(value, STEP_CALL, explain)
    assert_close(
        value["losses"],
        expected["losses"],
        _("{call}: the returned (critic loss, generator loss)").format(call=STEP_CALL),
        1e-4,
        1e-5,
        explain,
    )
    for key, what in (
        ("critic", _("the critic's weights")),
        ("generator", _("the generator's weights")),
    ):
        assert_close(
            value[key],
            expected[key],
            _(
                "{call}: {what} after the step (one critic update on the WGAN-GP and drift "
                "loss, then one generator update scored by the updated critic)"
            ).format(call=STEP_CALL, what=what),
            1e-4,
            1e-5,
            _explain(mistakes, "progan_step", _step_probe, value, key),
        )


@pytest.mark.part("progan_step")
def test_step_calls_the_networks_at_its_stage_in_training(submission, stepped, mistakes):
    """Every call of the networks at the step's stage, with training=True?"""
    value, _expected = stepped
    explain = _explain(mistakes, "progan_step", _step_probe, value, "calls")
    _fail_if_raised(value, STEP_CALL, explain)
    wrong = [call for call in value["calls"] if call[1] != STEP_STAGE or not call[2]]
    check(
        value["calls"] and not wrong,
        _(
            "{call}: the networks were called as {calls} (network, stage, training); every "
            "call should pass stage=1 and training=True."
        ).format(call=STEP_CALL, calls=wrong or value["calls"]),
        explain,
    )


# ---------------------------------------------------------------- trained_progan
TRAINED_WEIGHTS = "progan_generator.weights.h5"
TRAINED_SETTINGS = "progan_generator.json"
HANDED_IN_SAMPLES = 1000


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds[CHAPTER][name]


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in generator's items and the evaluator's figures, measured once."""
    from igcourse.data import DataError
    from igcourse.evaluation import evaluate_samples

    result = submission.probe(
        None, probes.handed_in_generator, TRAINED_WEIGHTS, TRAINED_SETTINGS, HANDED_IN_SAMPLES, 0
    )
    if "generated" not in result or np.shape(result["generated"])[1:] != (32, 32, 1):
        return result, None
    pixels = np.clip((np.asarray(result["generated"])[:, 2:30, 2:30] + 1.0) / 2.0, 0.0, 1.0)
    try:
        figures = evaluate_samples(pixels.astype(np.float32), kid_subsets=10)
    except DataError as error:
        pytest.skip(str(error))
    return result, figures


def _loaded_or_fail(handed_in):
    """The handed-in probe's result, or a failure that says why the files gave no items."""
    result, _figures = handed_in
    fail_unless_loaded(
        result,
        "build_trained_generator",
        TRAINED_WEIGHTS,
        TRAINED_SETTINGS,
        probes.SETTINGS_KEYS,
    )
    if raised(result):
        fail(
            _("Your handed-in generator raised {error} when it generated items.").format(
                error=result["error"]
            )
        )
    return result


def _figures_or_fail(handed_in):
    """The evaluator's figures of the handed-in items, or a failure that says why there are none."""
    result, figures = _loaded_or_fail(handed_in), handed_in[1]
    if figures is None:
        fail(
            _(
                "Your handed-in generator makes items of shape {shape}; the evaluator measures "
                "the 32 x 32 items of the generator grown to its last stage, 3."
            ).format(shape=np.shape(result["generated"])[1:])
        )
    return result, figures


@pytest.mark.handed_in
@pytest.mark.part("trained_progan")
def test_the_handed_in_generator_is_a_grown_progan(submission, handed_in):
    """Does it grow to 32 x 32 at its last stage, its fade-in intact?"""
    result = _loaded_or_fail(handed_in)
    shape = np.shape(result["generated"])
    check(
        result["stage"] == 3 and shape[1:] == (32, 32, 1),
        _(
            "Your handed-in generator was saved at stage {stage} and makes items of shape "
            "{shape}; the course asks for the generator grown to its last stage, 3 (32 x 32)."
        ).format(stage=result["stage"], shape=shape[1:]),
    )
    check(
        result["fade_gap"] < 1e-3,
        _(
            "At its last stage with alpha 0 your handed-in generator differs from its stage 2 "
            "images, upsampled, by up to {gap:.3g}: its fade-in is not the one the task asks "
            "for."
        ).format(gap=result["fade_gap"]),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_progan")
def test_the_handed_in_generator_is_close_to_real_items(submission, handed_in):
    """Do its 1,000 items reach the Frechet distance bar?"""
    _result, figures = _figures_or_fail(handed_in)
    fd_max = _threshold("progan_fd_max")
    check(
        np.isfinite(figures["fd"]) and figures["fd"] <= fd_max,
        _(
            "The items of your trained generator (1,000, the border cropped to 28 x 28) have a "
            "Frechet distance of {fd:.1f} to real items (real items score {floor:.1f}); the "
            "course asks for {limit:.1f} or less. Train longer, or check the networks and the "
            "step."
        ).format(fd=figures["fd"], floor=figures["fd_floor"], limit=fd_max),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_progan")
def test_the_handed_in_generator_covers_the_classes(submission, handed_in):
    """Do its items cover most of the 10 classes?"""
    _result, figures = _figures_or_fail(handed_in)
    least = _threshold("progan_classes_covered_at_share_min")
    check(
        figures["classes_covered_at_share"] >= least,
        _(
            "Your trained generator's items cover {covered:.0%} of the 10 classes (with at "
            "least 2% of the items each); the course asks for {limit:.0%}."
        ).format(covered=figures["classes_covered_at_share"], limit=least),
    )
