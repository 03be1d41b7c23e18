"""Hidden checks of StyleGAN: the mapping network, AdaIN driven by a style, noise injection, the
synthesis network, style mixing, truncation, the training step and the handed-in networks.

Every check gets its values through a probe (probes_stylegan.py) and judges them here, against
the reference's values or the maths. The synthesis network runs on stand-in AdaIN and noise
layers that note which style each layer took; the step runs on small networks of the same
interface. Sizes differ from the notebook's.
"""

from pathlib import Path

import numpy as np
import probes_stylegan as probes
import pytest
from judging import explain as _explain
from judging import fail_if_raised as _fail_if_raised

from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.probing import raised
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

CHAPTER = "ch07_face_generation"
PART_NAMES = {
    "mapping_network": ["MappingNetwork"],
    "adain_modulation": ["AdaIN"],
    "noise_injection": ["NoiseInjection"],
    "style_generator": ["StyleGenerator"],
    "style_mixing": ["mix_styles"],
    "truncation": ["truncate", "track_w_avg"],
    "stylegan_step": ["make_stylegan_step"],
    "trained_stylegan": [],  # handed in: graded from the files beside the notebook
}
NUM_STYLES = 8

test_public_checks = public_checks_test(CHAPTER, PART_NAMES, probes)


def _normal(label, shape, scale=1.0):
    return (scale * seeded_rng(label).standard_normal(shape)).astype(np.float32)


# ---------------------------------------------------------------- mapping_network
# (latent_dim, depth, lr_multiplier): the notebook's multiplier, and another that must show
MAPPING_CASES = {"wide": (16, 3, 0.01), "narrow": (12, 2, 0.1)}


def _mapping_arguments(case):
    latent_dim, depth, lr_multiplier = MAPPING_CASES[case]
    return 31, latent_dim, depth, lr_multiplier, _normal(f"mapping z {case}", (6, latent_dim))


def _mapping_probe(case):
    return lambda ns: probes.mapping_values(ns, *_mapping_arguments(case))


@pytest.fixture(scope="module")
def mapped(submission, reference):
    return {
        case: (
            submission.probe("mapping_network", probes.mapping_values, *_mapping_arguments(case)),
            reference.probe("mapping_network", probes.mapping_values, *_mapping_arguments(case)),
        )
        for case in MAPPING_CASES
    }


def _mapping_call(case):
    latent_dim, depth, lr_multiplier = MAPPING_CASES[case]
    return _(
        "MappingNetwork(latent_dim={latent_dim}, depth={depth}, lr_multiplier={lr}) on 6 codes"
    ).format(latent_dim=latent_dim, depth=depth, lr=lr_multiplier)


@pytest.mark.defining
@pytest.mark.part("mapping_network")
@pytest.mark.parametrize("case", list(MAPPING_CASES))
def test_mapping_network_computes_the_equalised_layers(submission, mapped, mistakes, case):
    """Normalised z through equalised dense layers with the multiplier, as the reference?"""
    value, expected = mapped[case]
    explain = _explain(mistakes, "mapping_network", _mapping_probe(case), value, "output")
    _fail_if_raised(value, _mapping_call(case), explain)
    assert_close(
        value["output"],
        expected["output"],
        _(
            "{call}, its kernels and biases set (by rank, in the order of its weights): "
            "normalised z, then x (W * lr_multiplier * sqrt(2 / D)) + lr_multiplier * b and a "
            "LeakyReLU(0.2) per layer"
        ).format(call=_mapping_call(case)),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.part("mapping_network")
def test_mapping_network_normalises_z(submission, mapped, mistakes):
    """The same w for z and 3 z?"""
    value, _expected = mapped["wide"]
    explain = _explain(mistakes, "mapping_network", _mapping_probe("wide"), value, "scaled")
    _fail_if_raised(value, _mapping_call("wide"), explain)
    assert_close(
        value["scaled"],
        value["output"],
        _("{call}: w for 3 z, which must equal w for z (z is normalised first)").format(
            call=_mapping_call("wide")
        ),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.part("mapping_network")
@pytest.mark.parametrize("case", list(MAPPING_CASES))
def test_mapping_weights_are_stored_for_the_multiplier(submission, mapped, mistakes, case):
    """Kernels drawn with standard deviation 1 / lr_multiplier, biases zero, all trainable?"""
    value, _expected = mapped[case]
    explain = _explain(mistakes, "mapping_network", _mapping_probe(case), value, "kernel_std")
    _fail_if_raised(value, _mapping_call(case), explain)
    latent_dim, depth, lr_multiplier = MAPPING_CASES[case]
    shapes = sorted([[latent_dim, latent_dim]] * depth + [[latent_dim]] * depth)
    check(
        sorted(value["trainable"]) == shapes and value["weights"] == 2 * depth,
        _(
            "{call} has trainable weights of shapes {shapes} ({count} weights in all); "
            "expected {depth} kernels ({d}, {d}) and {depth} biases ({d},), all trainable."
        ).format(
            call=_mapping_call(case),
            shapes=value["trainable"],
            count=value["weights"],
            depth=depth,
            d=latent_dim,
        ),
        explain,
    )
    spread = value["kernel_std"] * lr_multiplier
    check(
        0.8 < spread < 1.2,
        _(
            "{call}: its kernels as drawn have a standard deviation of {std:.4g}; they are "
            "stored drawn from N(0, 1 / lr_multiplier^2), a standard deviation of {expected:.4g}, "
            "and scaled at every call."
        ).format(call=_mapping_call(case), std=value["kernel_std"], expected=1 / lr_multiplier),
        explain,
    )
    check(
        value["bias_max"] == 0.0,
        _("{call}: its biases as drawn reach {got:.4g}; they start at zero.").format(
            call=_mapping_call(case), got=value["bias_max"]
        ),
        explain,
    )


# ---------------------------------------------------------------- adain_modulation
def _adain_inputs():
    rng = seeded_rng("adain input")
    x = rng.standard_normal((3, 5, 5, 4)) * rng.uniform(0.5, 4.0, (3, 1, 1, 4))
    x += rng.uniform(-3.0, 3.0, (3, 1, 1, 4))
    x[0, :, :, 3] = 1e-4 * rng.standard_normal((5, 5))  # a nearly flat channel: epsilon shows
    w1, w2 = _normal("adain w1", (3, 7)), _normal("adain w2", (3, 7))
    ws = [np.zeros((3, 7), np.float32), w1, w2, w1 + w2, 2.0 * w1]
    return x.astype(np.float32), ws


def _adain_probe(ns):
    x, ws = _adain_inputs()
    return probes.adain_values(ns, 32, x, ws)


@pytest.fixture(scope="module")
def adain(submission):
    x, ws = _adain_inputs()
    return submission.probe("adain_modulation", probes.adain_values, 32, x, ws)


def _instance_normalized(x):
    x = np.asarray(x, np.float64)
    mean, variance = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-8)


def _scale_bias(out, normalized):
    """Per sample and channel, (y_s, y_b, the worst residual) of out = y_s normalized + y_b."""
    out = np.asarray(out, np.float64)
    centred = out - out.mean(axis=(1, 2), keepdims=True)
    scale = (centred * normalized).sum(axis=(1, 2)) / (normalized**2).sum(axis=(1, 2))
    bias = out.mean(axis=(1, 2))
    residual = np.abs(out - scale[:, None, None] * normalized - bias[:, None, None]).max()
    return scale, bias, float(residual)


ADAIN_CALL = _(
    "AdaIN(4) on features (3, 5, 5, 4), one channel nearly flat, with styles w of 7 numbers"
)


@pytest.mark.defining
@pytest.mark.part("adain_modulation")
def test_adain_at_zero_style_is_instance_normalisation(submission, adain, mistakes):
    """With w = 0: each channel of each sample normalised over its pixels, scale 1, bias 0?"""
    explain = _explain(mistakes, "adain_modulation", _adain_probe, adain, "outputs")
    _fail_if_raised(adain, ADAIN_CALL, explain)
    x, _ws = _adain_inputs()
    assert_close(
        adain["outputs"][0],
        _instance_normalized(x),
        _(
            "{call}, w = 0: (x - mean) / sqrt(variance + 1e-8) over each sample's and channel's "
            "pixels (y_s = 1 and y_b = 0 at w = 0)"
        ).format(call=ADAIN_CALL),
        1e-3,
        1e-4,
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("adain_modulation")
def test_adain_scale_and_bias_are_affine_in_the_style(submission, adain, mistakes):
    """y_s * normalised(x) + y_b per sample and channel, y_s - 1 and y_b linear in w?"""
    explain = _explain(mistakes, "adain_modulation", _adain_probe, adain, "outputs")
    _fail_if_raised(adain, ADAIN_CALL, explain)
    x, _ws = _adain_inputs()
    normalized = _instance_normalized(x)
    fitted = [_scale_bias(out, normalized) for out in adain["outputs"]]
    worst = max(residual for _s, _b, residual in fitted)
    check(
        worst < 1e-3,
        _(
            "{call}: the output is not y_s * normalised(x) + y_b with one scale and one bias per "
            "sample and channel (off by up to {worst:.3g})."
        ).format(call=ADAIN_CALL, worst=worst),
        explain,
    )
    (s0, b0, _r0), (s1, b1, _r1), (s2, b2, _r2), (s12, b12, _r3), (s11, b11, _r4) = fitted
    check(
        np.abs(s1 - s0).max() > 1e-3 and np.abs(b1 - b0).max() > 1e-3,
        _("{call}: the scale and the bias do not both change with w.").format(call=ADAIN_CALL),
        explain,
    )
    for got, expected, what in (
        (s12 - s0, (s1 - s0) + (s2 - s0), _("y_s - 1 for w1 + w2 against the sum for w1 and w2")),
        (b12 - b0, (b1 - b0) + (b2 - b0), _("y_b for w1 + w2 against the sum for w1 and w2")),
        (s11 - s0, 2 * (s1 - s0), _("y_s - 1 for 2 w1 against twice that for w1")),
    ):
        assert_close(
            got,
            expected,
            _("{call}: {what} (y_s = A_s w + 1, y_b = A_b w)").format(call=ADAIN_CALL, what=what),
            1e-3,
            1e-3,
            explain,
        )


@pytest.mark.part("adain_modulation")
def test_adain_weights_are_trained(submission, adain, mistakes):
    """All its trainable weights get a gradient from the output?"""
    explain = _explain(mistakes, "adain_modulation", _adain_probe, adain, "reached")
    _fail_if_raised(adain, ADAIN_CALL, explain)
    count = len(adain["trainable"])
    check(
        count >= 2 and adain["reached"] == count,
        _(
            "{call}: {reached} of its {count} trainable weights ({shapes}) get a gradient from "
            "the output; the affine maps from w to y_s and y_b are trained."
        ).format(call=ADAIN_CALL, reached=adain["reached"], count=count, shapes=adain["trainable"]),
        explain,
    )


# ---------------------------------------------------------------- noise_injection
STRENGTHS = np.array([0.5, -1.5, 2.0, 0.25, 1.0], np.float32)


def _noise_inputs():
    return _normal("noise x", (2, 6, 6, 5)), _normal("noise map", (2, 6, 6, 1))


def _noise_probe(ns):
    x, noise = _noise_inputs()
    return probes.noise_values(ns, x, noise, STRENGTHS)


@pytest.fixture(scope="module")
def noised(submission):
    x, noise = _noise_inputs()
    return submission.probe("noise_injection", probes.noise_values, x, noise, STRENGTHS)


NOISE_CALL = _("NoiseInjection() on features (2, 6, 6, 5)")


def _fresh_evidence(result):
    """What a new layer did with the noise given, and its trainable weights' shapes: strengths
    that start at one and no strengths at all add the same noise, and only the weights tell
    them apart."""
    if raised(result):
        return result
    return [result["fresh"], np.asarray(result["trainable"], np.float64)]


@pytest.mark.defining
@pytest.mark.part("noise_injection")
def test_noise_is_scaled_per_channel_by_learned_strengths(submission, noised, mistakes):
    """One trainable strength (C,) from zero; x + strength * noise?"""
    explain = _explain(
        mistakes,
        "noise_injection",
        lambda ns: _fresh_evidence(_noise_probe(ns)),
        _fresh_evidence(noised),
    )
    _fail_if_raised(noised, NOISE_CALL, explain)
    x, noise = _noise_inputs()
    assert_close(
        noised["fresh"],
        x,
        _("{call}, new, with a noise map given: the strengths start at zero").format(
            call=NOISE_CALL
        ),
        1e-5,
        1e-6,
        explain,
    )
    check(
        noised["trainable"] == [[5]],
        _(
            "{call}: its trainable weights have shapes {shapes}; expected one strength per "
            "channel, shape (5,)."
        ).format(call=NOISE_CALL, shapes=noised["trainable"]),
        _explain(mistakes, "noise_injection", _noise_probe, noised, "trainable"),
    )
    assert_close(
        noised["given"],
        x + STRENGTHS * noise,
        _("{call}, strengths set, noise given: x + strength * noise").format(call=NOISE_CALL),
        1e-5,
        1e-6,
        _explain(mistakes, "noise_injection", _noise_probe, noised, "given"),
    )


@pytest.mark.part("noise_injection")
def test_noise_drawn_is_one_fresh_standard_normal_map(submission, noised, mistakes):
    """Drawn when not given: one map for all channels, new at every call (traced too), N(0, 1)?"""
    _fail_if_raised(noised, NOISE_CALL, _explain(mistakes, "noise_injection", _noise_probe, noised))
    if "drawn" not in noised:
        fail(
            _("{call}: no strength of shape (5,) to set.").format(call=NOISE_CALL),
            _explain(mistakes, "noise_injection", _noise_probe, noised, "trainable"),
        )
    explain = _explain(mistakes, "noise_injection", _noise_probe, noised, "drawn")
    x, _noise = _noise_inputs()
    per_channel = (np.asarray(noised["drawn"][0]) - x) / STRENGTHS
    check(
        np.allclose(per_channel, per_channel[..., :1], atol=1e-4),
        _(
            "{call}, no noise given: the noise added differs between channels beyond their "
            "strengths; draw one map (B, H, W, 1) and scale it per channel."
        ).format(call=NOISE_CALL),
        explain,
    )
    check(
        not np.allclose(per_channel[0], per_channel[1], atol=1e-4),
        _(
            "{call}, no noise given: both samples of the batch got the same noise map; draw "
            "one map per sample, (B, H, W, 1)."
        ).format(call=NOISE_CALL),
        explain,
    )
    for key, how in (("drawn", _("eagerly")), ("traced", _("inside a tf.function"))):
        first, second = noised[key]
        check(
            not np.allclose(first, second),
            _(
                "{call}, no noise given, called twice {how}: the same noise both times; draw a "
                "new map at every call (keras.random.normal with a SeedGenerator)."
            ).format(call=NOISE_CALL, how=how),
            _explain(mistakes, "noise_injection", _noise_probe, noised, key),
        )
    mean, spread = noised["large"]
    check(
        abs(mean) < 0.15 and 0.85 < spread < 1.15,
        _(
            "{call}: 1,024 values of drawn noise have mean {mean:.3f} and standard deviation "
            "{std:.3f}; the noise is N(0, 1)."
        ).format(call=NOISE_CALL, mean=mean, std=spread),
        _explain(mistakes, "noise_injection", _noise_probe, noised, "large"),
    )


# ---------------------------------------------------------------- style_generator
def _styles():
    return _normal("generator styles", (2, NUM_STYLES, 6))


def _generator_probe(ns):
    return probes.generator_values(ns, 33, 6, 3, _styles())


@pytest.fixture(scope="module")
def synthesis(submission):
    return submission.probe("style_generator", probes.generator_values, 33, 6, 3, _styles())


GENERATOR_CALL = _("StyleGenerator(latent_dim=6, filters=3) on styles (2, 8, 6)")
LAYER_SIDES = [4 * 2 ** (i // 2) for i in range(NUM_STYLES)]


@pytest.mark.defining
@pytest.mark.part("style_generator")
def test_generator_gives_each_layer_its_own_style(submission, synthesis, mistakes):
    """Layer i works at 4, 4, 8, 8, ... pixels and its AdaIN takes ws[:, i]?"""
    explain = _explain(mistakes, "style_generator", _generator_probe, synthesis, "adain_calls")
    _fail_if_raised(synthesis, GENERATOR_CALL, explain)
    check(
        synthesis["shape"] == [2, 32, 32, 1],
        _("{call} gave images of shape {shape}; expected (2, 32, 32, 1).").format(
            call=GENERATOR_CALL, shape=tuple(synthesis["shape"])
        ),
        explain,
    )
    expected = [[side, index] for index, side in enumerate(LAYER_SIDES)]
    check(
        synthesis["adain_calls"] == expected,
        _(
            "{call}: its AdaIN layers were called as {calls} (feature side, style slot; None: "
            "not a slot of ws); expected {expected}: layer i takes ws[:, i]."
        ).format(call=GENERATOR_CALL, calls=synthesis["adain_calls"], expected=expected),
        explain,
    )
    check(
        synthesis["noise_calls"] == LAYER_SIDES,
        _(
            "{call}: its NoiseInjection layers were called on features of sides {sides}; "
            "expected one per layer, {expected}."
        ).format(call=GENERATOR_CALL, sides=synthesis["noise_calls"], expected=LAYER_SIDES),
        _explain(mistakes, "style_generator", _generator_probe, synthesis, "noise_calls"),
    )


@pytest.mark.part("style_generator")
def test_generator_images_depend_on_every_style_and_noise_map(submission, synthesis, mistakes):
    """A gradient from the images to each style slot and to each given noise map?"""
    explain = _explain(mistakes, "style_generator", _generator_probe, synthesis, "noise_reach")
    _fail_if_raised(synthesis, GENERATOR_CALL, explain)
    for key, what in (("style_reach", _("style slots")), ("noise_reach", _("noise maps"))):
        unused = [i for i, reach in enumerate(synthesis[key]) if reach == 0.0]
        check(
            not unused,
            _("{call}: the images do not depend on the {what} {unused}.").format(
                call=GENERATOR_CALL, what=what, unused=unused
            ),
            _explain(mistakes, "style_generator", _generator_probe, synthesis, key),
        )


@pytest.mark.defining
@pytest.mark.part("style_generator")
def test_generator_starts_from_a_learned_constant(submission, synthesis, mistakes):
    """One trainable (1, 4, 4, F) constant of ones, with a gradient from the images?"""
    explain = _explain(mistakes, "style_generator", _generator_probe, synthesis, "constants")
    _fail_if_raised(synthesis, GENERATOR_CALL, explain)
    constants = synthesis["constants"]
    check(
        len(constants) == 1 and np.allclose(constants[0], 1.0),
        _(
            "{call}: {count} trainable weights of shape (1, 4, 4, 3) ({values}); expected one, "
            "the learned constant, all ones at first."
        ).format(
            call=GENERATOR_CALL,
            count=len(constants),
            values=[float(np.mean(c)) for c in constants],
        ),
        explain,
    )
    check(
        synthesis["constant_reach"][0] > 0.0,
        _("{call}: the learned constant gets no gradient from the images.").format(
            call=GENERATOR_CALL
        ),
        _explain(mistakes, "style_generator", _generator_probe, synthesis, "constant_reach"),
    )


@pytest.mark.part("style_generator")
def test_generator_computes_the_tasks_network(submission, synthesis, reference, mistakes):
    """With every weight set by its shape and the noise maps given: the reference's images and
    its number of parameters?"""
    explain = _explain(mistakes, "style_generator", _generator_probe, synthesis, "set_output")
    _fail_if_raised(synthesis, GENERATOR_CALL, explain)
    expected = reference.probe("style_generator", probes.generator_values, 33, 6, 3, _styles())
    check(
        synthesis["parameters"] == expected["parameters"],
        _(
            "{call} has {count} trainable parameters; the network the task describes (a "
            "constant, seven 3 x 3 convolutions, eight noise layers, eight AdaIN layers and "
            "a 1 x 1 convolution) has {expected}."
        ).format(
            call=GENERATOR_CALL, count=synthesis["parameters"], expected=expected["parameters"]
        ),
        _explain(mistakes, "style_generator", _generator_probe, synthesis, "parameters"),
    )
    assert_close(
        synthesis["set_output"],
        expected["set_output"],
        _(
            "{call}, every weight set from a draw that depends on its shape alone and the noise "
            "maps given: the images of the layers in the task's order (upsample on even layers "
            "by nearest neighbour, convolution, noise, LeakyReLU, AdaIN; a linear 1 x 1 "
            "convolution at the end)"
        ).format(call=GENERATOR_CALL),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.part("style_generator")
def test_generator_noise_follows_the_strengths(submission, synthesis, mistakes):
    """Deterministic while the strengths are zero, random once they are not?"""
    explain = _explain(mistakes, "style_generator", _generator_probe, synthesis, "quiet_same")
    _fail_if_raised(synthesis, GENERATOR_CALL, explain)
    check(
        synthesis["quiet_same"],
        _("{call}, new (noise strengths zero), twice: the images differ.").format(
            call=GENERATOR_CALL
        ),
        explain,
    )
    check(
        synthesis["noisy_differ"],
        _(
            "{call} with every noise strength set to 1, twice, noise drawn: the same images; "
            "call each layer's NoiseInjection without a map when none is given."
        ).format(call=GENERATOR_CALL),
        _explain(mistakes, "style_generator", _generator_probe, synthesis, "noisy_differ"),
    )


# ---------------------------------------------------------------- style_mixing
CROSSOVERS = [0, 1, 3, 7, NUM_STYLES]


def _mixing_inputs():
    return _normal("mix w1", (3, 5)), _normal("mix w2", (3, 5))


def _mixing_probe(ns):
    return probes.mixing_values(ns, *_mixing_inputs(), CROSSOVERS)


@pytest.fixture(scope="module")
def mixed(submission):
    return submission.probe("style_mixing", probes.mixing_values, *_mixing_inputs(), CROSSOVERS)


def _mixed(w1, w2, crossover, count):
    return np.stack([w1 if i < crossover else w2 for i in range(count)], axis=1)


@pytest.mark.defining
@pytest.mark.part("style_mixing")
def test_mixing_takes_w1_before_the_crossover(submission, mixed, mistakes):
    """Layer i gets w1 for i < crossover, w2 from it on?"""
    explain = _explain(mistakes, "style_mixing", _mixing_probe, mixed, "outputs")
    call = _("mix_styles(w1, w2, crossover) with w1, w2 of shape (3, 5)")
    _fail_if_raised(mixed, call, explain)
    w1, w2 = _mixing_inputs()
    for crossover, got in zip(CROSSOVERS, mixed["outputs"], strict=True):
        assert_close(
            got,
            _mixed(w1, w2, crossover, NUM_STYLES),
            _("{call}, crossover {crossover}: w1 for layers before it, w2 after").format(
                call=call, crossover=crossover
            ),
            1e-6,
            1e-7,
            explain,
        )
    assert_close(
        mixed["five"],
        _mixed(w1, w2, 2, 5),
        _("mix_styles(w1, w2, 2, num_styles=5)"),
        1e-6,
        1e-7,
        _explain(mistakes, "style_mixing", _mixing_probe, mixed, "five"),
    )


# ---------------------------------------------------------------- truncation
PSIS = [0.0, 0.4, 1.0, 1.5]
DECAYS = [0.9, 0.5]


def _truncation_inputs():
    return _normal("truncation w", (4, 6)), _normal("truncation w_avg", (6,))


def _truncation_probe(ns):
    return probes.truncation_values(ns, *_truncation_inputs(), PSIS, DECAYS)


@pytest.fixture(scope="module")
def truncated(submission):
    return submission.probe(
        "truncation", probes.truncation_values, *_truncation_inputs(), PSIS, DECAYS
    )


@pytest.mark.defining
@pytest.mark.part("truncation")
def test_truncation_pulls_toward_the_mean_style(submission, truncated, mistakes):
    """w_avg + psi (w - w_avg): psi 0 gives w_avg, psi 1 leaves w alone?"""
    explain = _explain(mistakes, "truncation", _truncation_probe, truncated, "truncated")
    _fail_if_raised(truncated, _("truncate(w, w_avg, psi)"), explain)
    w, w_avg = _truncation_inputs()
    for psi, got in zip(PSIS, truncated["truncated"], strict=True):
        assert_close(
            got,
            w_avg + psi * (w - w_avg),
            _("truncate(w, w_avg, psi={psi}) (w_avg + psi (w - w_avg))").format(psi=psi),
            1e-5,
            1e-6,
            explain,
        )


@pytest.mark.defining
@pytest.mark.part("truncation")
def test_track_w_avg_is_a_moving_average_of_the_batch_mean(submission, truncated, mistakes):
    """decay w_avg + (1 - decay) mean over the batch of w, decay 0.995 by default?"""
    explain = _explain(mistakes, "truncation", _truncation_probe, truncated, "tracked")
    _fail_if_raised(truncated, _("track_w_avg(w_avg, w, decay)"), explain)
    w, w_avg = _truncation_inputs()
    for decay, got in zip(
        DECAYS + [0.995], truncated["tracked"] + [truncated["default"]], strict=True
    ):
        assert_close(
            got,
            decay * w_avg + (1 - decay) * w.mean(axis=0),
            _("track_w_avg(w_avg, w, decay={decay}) (decay w_avg + (1 - decay) mean(w))").format(
                decay=decay
            ),
            1e-5,
            1e-6,
            explain,
        )


# ---------------------------------------------------------------- stylegan_step
STEP_RATES = (0.05, 0.05)
STEP_GAMMA = 3.0


def _step_inputs():
    return (
        _normal("step real", (4, 32, 32, 1)),
        _normal("step critic z", (4, 5)),
        _normal("step generator z", (4, 5)),
    )


def _step_probe(ns):
    return probes.step_values(ns, 34, *_step_inputs(), STEP_RATES, STEP_GAMMA)


@pytest.fixture(scope="module")
def stepped(submission, reference):
    arguments = (34, *_step_inputs(), STEP_RATES, STEP_GAMMA)
    value = submission.probe("stylegan_step", probes.step_values, *arguments)
    return value, reference.probe("stylegan_step", probes.step_values, *arguments)


STEP_CALL = _(
    "make_stylegan_step(mapping, generator, critic, SGD(0.05), SGD(0.05), r1_gamma=3) on small "
    "networks of the same interface, one step"
)


@pytest.mark.defining
@pytest.mark.part("stylegan_step")
def test_step_updates_as_the_task_says(submission, stepped, mistakes):
    """The losses, and the three networks' weights after one step, as the task gives?"""
    value, expected = stepped
    explain = _explain(mistakes, "stylegan_step", _step_probe, value, "losses")
    _fail_if_raised(value, STEP_CALL, explain)
    assert_close(
        value["losses"],
        expected["losses"],
        _(
            "{call}: the returned (critic loss, generator loss): softplus(D(fake)) + "
            "softplus(-D(real)) + r1_gamma / 2 * mean |grad D(real)|^2, then softplus(-D(fake))"
        ).format(call=STEP_CALL),
        1e-4,
        1e-5,
        explain,
    )
    for key, what in (
        ("critic", _("the critic's weights")),
        ("generator", _("the synthesis network's weights")),
        ("mapping", _("the mapping network's weights (trained with the synthesis network)")),
    ):
        assert_close(
            value[key],
            expected[key],
            _(
                "{call}: {what} after the step (one critic update, then one update of the "
                "mapping and synthesis networks scored by the updated critic)"
            ).format(call=STEP_CALL, what=what),
            1e-4,
            1e-5,
            _explain(mistakes, "stylegan_step", _step_probe, value, key),
        )


@pytest.mark.part("stylegan_step")
def test_step_calls_the_networks_in_training(submission, stepped, mistakes):
    """Every call of the three networks with training=True?"""
    value, _expected = stepped
    explain = _explain(mistakes, "stylegan_step", _step_probe, value, "calls")
    _fail_if_raised(value, STEP_CALL, explain)
    wrong = [call for call in value["calls"] if not call[1]]
    check(
        value["calls"] and not wrong,
        _(
            "{call}: the networks were called as {calls} (network, training); every call "
            "should pass training=True."
        ).format(call=STEP_CALL, calls=wrong or value["calls"]),
        explain,
    )


# ---------------------------------------------------------------- trained_stylegan
TRAINED_WEIGHTS = "stylegan.weights.h5"
TRAINED_SETTINGS = "stylegan.json"
HANDED_IN_SAMPLES = 1000


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds[CHAPTER][name]


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in networks' items and the evaluator's figures, measured once."""
    from igcourse.data import DataError
    from igcourse.evaluation import evaluate_samples

    result = submission.probe(
        None, probes.handed_in_stylegan, TRAINED_WEIGHTS, TRAINED_SETTINGS, HANDED_IN_SAMPLES, 0
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
        result, "build_trained_stylegan", TRAINED_WEIGHTS, TRAINED_SETTINGS, probes.SETTINGS_KEYS
    )
    if raised(result):
        fail(
            _("Your handed-in networks raised {error} when they generated items.").format(
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
                "Your handed-in networks make items of shape {shape}; the evaluator measures "
                "items of 32 x 32 with one channel."
            ).format(shape=np.shape(result["generated"])[1:])
        )
    return result, figures


@pytest.mark.handed_in
@pytest.mark.part("trained_stylegan")
def test_the_handed_in_networks_are_a_stylegan(submission, handed_in):
    """32 x 32 items, and a synthesis network that takes a style per layer?"""
    result = _loaded_or_fail(handed_in)
    shape = np.shape(result["generated"])
    check(
        shape[1:] == (32, 32, 1),
        _("Your handed-in networks make items of shape {shape}; expected (32, 32, 1).").format(
            shape=shape[1:]
        ),
    )
    unused = [i for i, reach in enumerate(result["style_reach"]) if reach == 0.0]
    check(
        not unused,
        _(
            "The synthesis network you handed in does not use the styles of layers {unused}: "
            "every layer takes its own style."
        ).format(unused=unused),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_stylegan")
def test_the_handed_in_networks_are_close_to_real_items(submission, handed_in):
    """Do their 1,000 items reach the Frechet distance bar?"""
    _result, figures = _figures_or_fail(handed_in)
    fd_max = _threshold("stylegan_fd_max")
    check(
        np.isfinite(figures["fd"]) and figures["fd"] <= fd_max,
        _(
            "The items of your trained StyleGAN (1,000, untruncated, the border cropped to "
            "28 x 28) have a Frechet distance of {fd:.1f} to real items (real items score "
            "{floor:.1f}); the course asks for {limit:.1f} or less. Train longer, or check the "
            "networks and the step."
        ).format(fd=figures["fd"], floor=figures["fd_floor"], limit=fd_max),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_stylegan")
def test_the_handed_in_networks_cover_the_classes(submission, handed_in):
    """Do their items cover most of the 10 classes?"""
    _result, figures = _figures_or_fail(handed_in)
    least = _threshold("stylegan_classes_covered_at_share_min")
    check(
        figures["classes_covered_at_share"] >= least,
        _(
            "Your trained StyleGAN's items cover {covered:.0%} of the 10 classes (with at "
            "least 2% of the items each); the course asks for {limit:.0%}."
        ).format(covered=figures["classes_covered_at_share"], limit=least),
    )
