"""Hidden checks of AdaIN: the AdaIN layer, the reflect-padded convolution, the decoder, the
losses, the training step and inference with alpha and mixed styles.

Every check gets its values through a probe (probes_adain.py) and judges them here, against
the reference's values. Each part runs with the other parts' functions replaced by correct
stand-ins (probes_adain.STAND_INS), so that a mistake costs its own part alone. The step and
inference run on a tiny encoder and a tiny decoder; sizes and epsilons differ from the
notebook's (batches of two, sizes that are not square, epsilon 0.5 where epsilon must show).
"""

from functools import partial
from pathlib import Path

import numpy as np
import probes_adain as probes
import pytest

from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.handed_in import fail_unless_loaded
from igcourse.grading.mutants import same_values
from igcourse.grading.probing import raised
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "adain": ["channel_moments", "adain"],
    "reflect_conv": ["reflect_conv"],
    "adain_decoder": ["build_adain_decoder"],
    "adain_losses": ["adain_content_loss", "adain_style_loss"],
    "adain_step": ["make_adain_step"],
    "adain_inference": ["stylize", "interpolate_styles"],
    "trained_adain": [],  # handed in: graded from the files beside the notebook
}

test_public_checks = public_checks_test("ch05_style_transfer", PART_NAMES, probes)

BIG_EPSILON = 0.5  # where epsilon must show: a flat channel's sigma is sqrt(0.5), not 0.0032


def _close(rtol=1e-4, atol=1e-5):
    """same= for the zoo: equal within tolerance, lists of arrays of any shapes element-wise."""
    return partial(same_values, rtol=rtol, atol=atol)


def _fail_if_raised(value, call, explain=None):
    if raised(value):
        fail(_("{call} raised {error}.").format(call=call, error=value["error"]), explain)


def _compare(value, expected, key, what, explain, rtol=1e-4, atol=1e-5):
    """value[key] against expected[key]: what raised, or is not close."""
    _fail_if_raised(value[key], what, explain)
    assert_close(value[key], expected[key], what, rtol, atol, explain)


# ---------------------------------------------------------------- adain
def _adain_inputs():
    rng = seeded_rng("adain inputs")
    # Two samples of other scales and offsets, so statistics over the batch or over the channels
    # show; content and style of different sizes.
    content = (rng.standard_normal((2, 5, 7, 4)) * [[[[1.0]]], [[[3.0]]]] + 2.0).astype(np.float32)
    content[1, :, :, 2] = 1.5  # a flat channel: sigma is sqrt(epsilon), and nothing divides by 0
    style = (rng.standard_normal((2, 6, 4, 4)) * [[[[0.5]]], [[[2.0]]]] - 1.0).astype(np.float32)
    return content, style


def _adain_probe(ns):
    content, style = _adain_inputs()
    return probes.adain_values(ns, content, style, BIG_EPSILON)


@pytest.fixture(scope="module")
def adain_values(submission, reference):
    content, style = _adain_inputs()
    arguments = (content, style, BIG_EPSILON)
    value = submission.probe("adain", probes.adain_values, *arguments)
    return value, reference.probe("adain", probes.adain_values, *arguments)


def _adain_explain(mistakes, value, key, same=None):
    return partial(
        mistakes.explain, "adain", lambda ns: _adain_probe(ns)[key], value[key], same or _close()
    )


@pytest.mark.defining
@pytest.mark.part("adain")
def test_channel_moments_are_per_sample_and_per_channel(submission, adain_values, mistakes):
    """x (2, 5, 7, 4), samples of other scales, one flat channel, epsilon 0.5: the means over H
    and W, and sqrt(variance + epsilon), each (2, 1, 1, 4)?"""
    value, expected = adain_values
    _compare(
        value,
        expected,
        "moments",
        _(
            "channel_moments(x of shape (2, 5, 7, 4), epsilon=0.5) (for each sample and channel: "
            "the mean over H and W, and sqrt(the variance over H and W + epsilon), shapes "
            "(2, 1, 1, 4))"
        ),
        _adain_explain(mistakes, value, "moments"),
    )


@pytest.mark.part("adain")
def test_channel_moments_use_the_default_epsilon(submission, adain_values, mistakes):
    """channel_moments(x) with epsilon left out: EPSILON inside the square root?"""
    value, expected = adain_values
    _compare(
        value,
        expected,
        "moments_default",
        _(
            "channel_moments(x) with epsilon left out (EPSILON = 1e-5 inside the square root: "
            "a flat channel's std is sqrt(1e-5) = 0.00316, not 0)"
        ),
        # A flat channel's std of 1e-5 (epsilon outside the root) against 0 (none) tells the two
        # mistakes apart: within 1e-5 they would look the same.
        _adain_explain(mistakes, value, "moments_default", _close(1e-4, 1e-7)),
        atol=1e-6,
    )


@pytest.mark.defining
@pytest.mark.part("adain")
def test_adain_gives_the_content_the_styles_statistics(submission, adain_values, mistakes):
    """content (2, 5, 7, 4), style (2, 6, 4, 4), epsilon 0.5: sigma_s * (x - mu_x) / sigma_x +
    mu_s, sample i taking sample i's style?"""
    value, expected = adain_values
    _compare(
        value,
        expected,
        "adain",
        _(
            "adain(content (2, 5, 7, 4), style (2, 6, 4, 4), epsilon=0.5) (sigma_style * "
            "(content - mu_content) / sigma_content + mu_style, per sample and per channel: "
            "each output sample has its own style sample's means and deviations)"
        ),
        _adain_explain(mistakes, value, "adain"),
    )


@pytest.mark.part("adain")
def test_adain_uses_the_default_epsilon(submission, adain_values, mistakes):
    """adain(content, style) with epsilon left out, a flat content channel: finite, and the
    reference's values?"""
    value, expected = adain_values
    got = value["adain_default"]
    _fail_if_raised(
        got, _("adain(content, style)"), _adain_explain(mistakes, value, "adain_default")
    )
    check(
        bool(np.all(np.isfinite(got))),
        _(
            "adain(content, style) gave values that are not finite for a content channel that "
            "is the same everywhere: its sigma must be sqrt(0 + epsilon), not 0 (epsilon inside "
            "the square root)."
        ),
        _adain_explain(mistakes, value, "adain_default"),
    )
    _compare(
        value,
        expected,
        "adain_default",
        _("adain(content, style) with epsilon left out (EPSILON = 1e-5)"),
        _adain_explain(mistakes, value, "adain_default"),
    )


@pytest.mark.defining
@pytest.mark.part("adain")
def test_adain_works_on_tensors_in_a_tf_function(submission, adain_values, mistakes):
    """adain on tensors of unknown batch and size inside a tf.function (the step's case)?"""
    value, expected = adain_values
    if raised(value["traced"]):
        fail(
            _(
                "adain on tensors of shape (None, None, None, 4) inside a tf.function raised "
                "{error}. The training step calls it there, on symbolic tensors of unknown "
                "batch and size: the same code must work on them as on arrays."
            ).format(error=value["traced"]["error"]),
            _adain_explain(mistakes, value, "traced"),
        )
    _compare(
        value,
        expected,
        "traced",
        _("adain(content, style) inside a tf.function"),
        _adain_explain(mistakes, value, "traced"),
    )


@pytest.mark.part("adain")
def test_adains_gradient_is_finite_on_a_flat_channel(submission, reference, adain_values, mistakes):
    """The gradient of a weighted sum of adain's output with respect to the content, a flat
    content channel: finite and the reference's?"""
    content, style = _adain_inputs()
    value = submission.probe("adain", probes.adain_gradient, content, style)
    expected = reference.probe("adain", probes.adain_gradient, content, style)
    # Named with adain's own output beside it: epsilon left out and epsilon outside the root
    # both give a gradient of NaN here, and differ in the output.
    explain = partial(
        mistakes.explain,
        "adain",
        lambda ns: [probes.adain_gradient(ns, content, style), _adain_probe(ns)["adain_default"]],
        [value, adain_values[0]["adain_default"]],
        _close(1e-3, 1e-4),
    )
    _fail_if_raised(value, _("the gradient of adain(content, style)"), explain)
    check(
        bool(np.all(np.isfinite(value))),
        _(
            "the gradient of adain(content, style) with respect to the content is not finite "
            "for a content channel that is the same everywhere: with epsilon inside the square "
            "root nothing is divided by zero."
        ),
        explain,
    )
    assert_close(
        value,
        expected,
        _("the gradient of sum(adain(content, style) * w) with respect to the content"),
        1e-3,
        1e-4,
        explain,
    )


# ---------------------------------------------------------------- reflect_conv
REFLECT_SEED = 6
REFLECT_SHAPE = (2, 5, 6, 3)
REFLECT_ARGUMENTS = (REFLECT_SEED, REFLECT_SHAPE, 4, "tanh", "probe_conv")


@pytest.fixture(scope="module")
def reflected(submission, reference):
    value = submission.probe("reflect_conv", probes.reflect_conv_values, *REFLECT_ARGUMENTS)
    return value, reference.probe("reflect_conv", probes.reflect_conv_values, *REFLECT_ARGUMENTS)


def _reflect_explain(mistakes, value):
    return partial(
        mistakes.explain,
        "reflect_conv",
        lambda ns: _output(probes.reflect_conv_values(ns, *REFLECT_ARGUMENTS)),
        _output(value),
        _close(),
    )


def _output(value):
    return value if raised(value) else value["output"]


@pytest.mark.defining
@pytest.mark.part("reflect_conv")
def test_reflect_conv_pads_by_reflection(submission, reflected, mistakes):
    """reflect_conv(inputs, 4, "tanh", "probe_conv") in a model, seeded weights, inputs
    (2, 5, 6, 3): a 3 x 3 valid convolution of the input reflect-padded by one pixel?"""
    value, expected = reflected
    explain = _reflect_explain(mistakes, value)
    _fail_if_raised(
        value,
        _('a model of reflect_conv(inputs, 4, activation="tanh", name="probe_conv")'),
        explain,
    )
    assert_close(
        value["output"],
        expected["output"],
        _(
            'reflect_conv(x of shape (2, 5, 6, 3), 4, activation="tanh") (x padded by one '
            'pixel on each side of H and W with mode "reflect": [a, b, c, ...] -> [b, a, b, c, '
            '...]; then a 3 x 3 Conv2D with padding="valid" and the activation; the border '
            "pixels show the padding)"
        ),
        1e-4,
        1e-5,
        explain,
    )


@pytest.mark.part("reflect_conv")
def test_reflect_conv_is_one_named_3x3_convolution(submission, reflected, mistakes):
    """One Conv2D, 3 x 3, named as asked?"""
    value, expected = reflected
    _fail_if_raised(value, _('reflect_conv(inputs, 4, name="probe_conv")'))
    check(
        value["kernels"] == expected["kernels"] and value["names"] == expected["names"],
        _(
            'reflect_conv(inputs, 4, name="probe_conv") made the convolutions {names} of kernels '
            '{kernels}: it must make one keras.layers.Conv2D, 3 x 3, named "probe_conv" (pass '
            "name to Conv2D)."
        ).format(names=value["names"], kernels=value["kernels"]),
        _reflect_explain(mistakes, value),
    )


@pytest.mark.part("reflect_conv")
def test_reflect_convs_default_activation_is_a_relu(submission, reference, mistakes):
    """reflect_conv(inputs, 4) with the activation left out: a ReLU?"""
    arguments = (REFLECT_SEED, REFLECT_SHAPE)
    value = submission.probe("reflect_conv", probes.reflect_conv_defaults, *arguments)
    expected = reference.probe("reflect_conv", probes.reflect_conv_defaults, *arguments)
    explain = partial(
        mistakes.explain,
        "reflect_conv",
        lambda ns: probes.reflect_conv_defaults(ns, *arguments),
        value,
        _close(),
    )
    _fail_if_raised(value, _("a model of reflect_conv(inputs, 4)"), explain)
    assert_close(
        value,
        expected,
        _('reflect_conv(x, 4) with the activation left out (activation="relu")'),
        1e-4,
        1e-5,
        explain,
    )


# ---------------------------------------------------------------- adain_decoder
DECODER_SEED = 8
DECODER_ARGUMENTS = (DECODER_SEED, 6, (2, 3, 5, 6))  # 6 channels, features 3 x 5
PLAN = [
    ["conv", 256, "relu", "valid"],
    ["up", "nearest"],
    ["conv", 256, "relu", "valid"],
    ["conv", 256, "relu", "valid"],
    ["conv", 256, "relu", "valid"],
    ["conv", 128, "relu", "valid"],
    ["up", "nearest"],
    ["conv", 128, "relu", "valid"],
    ["conv", 64, "relu", "valid"],
    ["up", "nearest"],
    ["conv", 64, "relu", "valid"],
    ["conv", 3, "linear", "valid"],
]


@pytest.fixture(scope="module")
def decoded(submission, reference):
    value = submission.probe("adain_decoder", probes.decoder_facts, *DECODER_ARGUMENTS)
    return value, reference.probe("adain_decoder", probes.decoder_facts, *DECODER_ARGUMENTS)


def _decoder_explain(mistakes, value, key):
    def pick(facts):
        return facts if raised(facts) else facts[key]

    return partial(
        mistakes.explain,
        "adain_decoder",
        lambda ns: pick(probes.decoder_facts(ns, *DECODER_ARGUMENTS)),
        pick(value),
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("adain_decoder")
def test_the_decoder_computes_the_mirrored_network(submission, decoded, mistakes):
    """build_adain_decoder(6), seeded weights, features (2, 3, 5, 6): the reference's images
    (2, 24, 40, 3)?"""
    value, expected = decoded
    explain = _decoder_explain(mistakes, value, "output")
    _fail_if_raised(value, _("build_adain_decoder(6)"), explain)
    check(
        value["input_shape"] == [None, None, None, 6],
        _(
            "build_adain_decoder(6) takes inputs of shape {shape}: build its keras.Input from "
            "the channels argument, keras.Input((None, None, channels))."
        ).format(shape=value["input_shape"]),
        _decoder_explain(mistakes, value, "input_shape"),
    )
    _fail_if_raised(
        value["output"], _("build_adain_decoder(6)(features of shape (2, 3, 5, 6))"), explain
    )
    assert_close(
        value["output"],
        expected["output"],
        _(
            "build_adain_decoder(6)(features of shape (2, 3, 5, 6)), seeded weights (the nine "
            "reflect-padded 3 x 3 convolutions and three nearest upsamplings of the table, in "
            "order, ReLU everywhere but the last, linear, convolution)"
        ),
        1e-3,
        1e-4,
        explain,
    )


@pytest.mark.part("adain_decoder")
def test_the_decoders_layers_follow_the_table(submission, decoded, mistakes):
    """Its Conv2D and UpSampling2D layers, in order: the table's?"""
    value, _expected = decoded
    _fail_if_raised(value, _("build_adain_decoder(6)"))
    check(
        value["plan"] == PLAN,
        _(
            "build_adain_decoder(6) has the layers {got} (convolutions as [conv, filters, "
            "activation, padding], upsamplings as [up, interpolation]); the table asks for "
            "{expected}."
        ).format(got=value["plan"], expected=PLAN),
        _decoder_explain(mistakes, value, "plan"),
    )


@pytest.mark.part("adain_decoder")
def test_the_decoder_is_a_model_of_512_channels_by_default(submission, reference):
    """build_adain_decoder() with channels left out: a keras.Model whose input is
    (None, None, None, 512)?"""
    arguments = (DECODER_SEED, None, (1, 2, 3, 512))
    value = submission.probe("adain_decoder", probes.decoder_facts, *arguments)
    _fail_if_raised(value, _("build_adain_decoder()"))
    _fail_if_raised(value["output"], _("build_adain_decoder()(features of shape (1, 2, 3, 512))"))
    check(
        value["is_model"] and value["input_shape"] == [None, None, None, 512],
        _(
            "build_adain_decoder() must return a keras.Model from keras.Input((None, None, "
            "512)) (block4_conv1's channels by default, any height and width); its input is "
            "{shape}."
        ).format(shape=value["input_shape"]),
    )
    check(
        np.shape(value["output"]) == (1, 16, 24, 3),
        _(
            "build_adain_decoder()(features of shape (1, 2, 3, 512)) has shape {shape}, expected "
            "(1, 16, 24, 3): 8 times the height and width, 3 channels."
        ).format(shape=np.shape(value["output"])),
    )


# ---------------------------------------------------------------- adain_losses
LOSS_SEED = 12


@pytest.fixture(scope="module")
def losses(submission, reference):
    value = submission.probe("adain_losses", probes.loss_values, LOSS_SEED, BIG_EPSILON)
    return value, reference.probe("adain_losses", probes.loss_values, LOSS_SEED, BIG_EPSILON)


def _loss_explain(mistakes, value, key):
    return partial(
        mistakes.explain,
        "adain_losses",
        lambda ns: probes.loss_values(ns, LOSS_SEED, BIG_EPSILON)[key],
        value[key],
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("adain_losses")
def test_the_content_loss_is_the_mean_squared_error(submission, losses, mistakes):
    """features and target (2, 3, 5, 4): mean((features - target) ** 2)?"""
    value, expected = losses
    _compare(
        value,
        expected,
        "content",
        _(
            "adain_content_loss(features, target), both (2, 3, 5, 4) (mean((features - target) "
            "** 2) over every number)"
        ),
        _loss_explain(mistakes, value, "content"),
    )


@pytest.mark.defining
@pytest.mark.part("adain_losses")
def test_the_style_loss_sums_the_moments_errors_over_layers(submission, losses, mistakes):
    """Three layers, style activations of other heights and widths, epsilon 0.5: the sum over
    layers of mean((mu - mu_s) ** 2) + mean((sigma - sigma_s) ** 2)?"""
    value, expected = losses
    _compare(
        value,
        expected,
        "style",
        _(
            "adain_style_loss(3 layers, 3 style layers of other sizes, epsilon=0.5) (the sum "
            "over the layers of mean((mu - mu_s) ** 2) + mean((sigma - sigma_s) ** 2), the "
            "moments from channel_moments(., epsilon))"
        ),
        _loss_explain(mistakes, value, "style"),
    )


@pytest.mark.part("adain_losses")
def test_the_style_loss_uses_the_default_epsilon(submission, losses, mistakes):
    """adain_style_loss with epsilon left out: EPSILON?"""
    value, expected = losses
    _compare(
        value,
        expected,
        "style_default",
        _("adain_style_loss(features, style_features) with epsilon left out (EPSILON = 1e-5)"),
        _loss_explain(mistakes, value, "style_default"),
    )


@pytest.mark.part("adain_losses")
def test_the_style_loss_of_a_style_against_itself_is_zero(submission, losses, mistakes):
    """adain_style_loss(s, s) = 0?"""
    value, _expected = losses
    got = value["style_of_itself"]
    _fail_if_raised(got, _("adain_style_loss(style_features, style_features)"))
    check(
        abs(float(got)) < 1e-6,
        _(
            "adain_style_loss(style_features, style_features) is {got}: a style's statistics "
            "equal themselves, so the loss must be 0."
        ).format(got=float(got)),
        _loss_explain(mistakes, value, "style_of_itself"),
    )


# ---------------------------------------------------------------- adain_step
STEP_SEED = 5
STYLE_WEIGHT = 3.0


@pytest.fixture(scope="module")
def stepped(submission, reference):
    value = submission.probe("adain_step", probes.step_effects, STEP_SEED, STYLE_WEIGHT)
    return value, reference.probe("adain_step", probes.step_effects, STEP_SEED, STYLE_WEIGHT)


def _step_explain(mistakes, value, key):
    return partial(
        mistakes.explain,
        "adain_step",
        lambda ns: probes.step_effects(ns, STEP_SEED, STYLE_WEIGHT)[key],
        value[key],
        _close(1e-3, 1e-5),
    )


STEP_CALL = _("step(content_images, style_images) (batches of 2 images of 8 x 12)")


@pytest.mark.defining
@pytest.mark.part("adain_step")
def test_one_step_updates_the_decoder_like_the_reference(submission, stepped, mistakes):
    """One SGD step (rate 0.05, style weight 3) on a tiny encoder and decoder: the decoder's
    variables after it?"""
    value, expected = stepped
    _fail_if_raised(value["returned"], STEP_CALL, _step_explain(mistakes, value, "decoder"))
    assert_close(
        value["decoder"],
        expected["decoder"],
        _(
            "the decoder's variables after one step (SGD, rate 0.05: each minus 0.05 times the "
            "gradient of content + 3 * style, where t = adain(encoder(content_images)[-1], "
            "encoder(style_images)[-1]), content = adain_content_loss(encoder(decoder(t))[-1], "
            "t) and style = adain_style_loss(encoder(decoder(t)), encoder(style_images)))"
        ),
        1e-3,
        1e-5,
        _step_explain(mistakes, value, "decoder"),
    )


@pytest.mark.defining
@pytest.mark.part("adain_step")
def test_the_step_leaves_the_encoder_alone(submission, stepped, mistakes):
    """An encoder that is trainable (so that an update shows): its weights unchanged?"""
    value, _expected = stepped
    check(
        value["encoder_kept"],
        _(
            "the step changed the encoder's weights: apply the gradients to "
            "decoder.trainable_variables alone (the encoder is the frozen loss network)."
        ),
        _step_explain(mistakes, value, "encoder_kept"),
    )


@pytest.mark.part("adain_step")
def test_the_step_returns_the_losses_before_the_update(submission, stepped, mistakes):
    """(total, content, style) of the decoder the step was given?"""
    value, expected = stepped
    _compare(
        value,
        expected,
        "returned",
        _(
            "what step(content_images, style_images) returns: (total, content, style), "
            "computed before the update, total = content + 3 * style"
        ),
        _step_explain(mistakes, value, "returned"),
        1e-3,
        1e-5,
    )


@pytest.mark.part("adain_step")
def test_the_step_is_a_tf_function(submission, stepped):
    """make_adain_step returns a tf.function?"""
    value, _expected = stepped
    check(
        value["is_function"],
        _("make_adain_step must return a function decorated with @tf.function."),
    )


# ---------------------------------------------------------------- adain_inference
INFERENCE_SEED = 9
ALPHAS = (0.0, 0.3, 1.0)
MIX_WEIGHTS = (0.2, 0.5, 0.3)


@pytest.fixture(scope="module")
def inferred(submission, reference):
    arguments = (INFERENCE_SEED, ALPHAS, MIX_WEIGHTS)
    value = submission.probe("adain_inference", probes.inference_values, *arguments)
    return value, reference.probe("adain_inference", probes.inference_values, *arguments)


def _inference_explain(mistakes, value, key):
    return partial(
        mistakes.explain,
        "adain_inference",
        lambda ns: probes.inference_values(ns, INFERENCE_SEED, ALPHAS, MIX_WEIGHTS)[key],
        value[key],
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("adain_inference")
def test_alpha_blends_the_features_before_decoding(submission, inferred, mistakes):
    """alpha 0, 0.3 and 1 on a tiny encoder and a nonlinear decoder: decoder(alpha * t +
    (1 - alpha) * f(c))?"""
    value, expected = inferred
    explain = _inference_explain(mistakes, value, "stylized")
    for got, want, alpha in zip(value["stylized"], expected["stylized"], ALPHAS, strict=True):
        call = _("stylize(encoder, decoder, content, style, alpha={alpha})").format(alpha=alpha)
        _fail_if_raised(got, call, explain)
        assert_close(
            got,
            want,
            _(
                "{call} (decoder(alpha * t + (1 - alpha) * c), c = encoder(content)[-1] and t = "
                "adain(c, encoder(style)[-1]): the features are blended, then decoded once)"
            ).format(call=call),
            1e-4,
            1e-5,
            explain,
        )


@pytest.mark.part("adain_inference")
def test_alpha_is_one_by_default(submission, inferred, mistakes):
    """stylize with alpha left out: the full style?"""
    value, expected = inferred
    _compare(
        value,
        expected,
        "default",
        _("stylize(encoder, decoder, content, style) with alpha left out (alpha = 1.0)"),
        _inference_explain(mistakes, value, "default"),
    )


@pytest.mark.defining
@pytest.mark.part("adain_inference")
def test_styles_mix_by_their_adain_targets(submission, inferred, mistakes):
    """Three styles, weights 0.2, 0.5 and 0.3: decoder(sum_k w_k * adain(f(c), f(s_k)))?"""
    value, expected = inferred
    _compare(
        value,
        expected,
        "mixed",
        _(
            "interpolate_styles(encoder, decoder, content, 3 styles, [0.2, 0.5, 0.3]) "
            "(decoder(sum over k of weights[k] * adain(c, encoder(styles[k])[-1])): each style's "
            "AdaIN target, weighted, then decoded once)"
        ),
        _inference_explain(mistakes, value, "mixed"),
    )


# ---------------------------------------------------------------- trained_adain
TRAINED_WEIGHTS = "adain_decoder.weights.h5"
TRAINED_SETTINGS = "adain_decoder.json"
SETTINGS_KEYS = ("channels",)
HANDED_IN_PAIRS = 32
HANDED_IN_CROP = 64


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch05_style_transfer"][name]


def _handed_in_crops_or_skip():
    """32 content crops and 32 style crops of 64 x 64 in [0, 1], at places drawn with the
    grading salt (the notebook trains on other random crops of the same images)."""
    from igcourse.data import DataError
    from igcourse.data.crops import crop_pools, random_crops

    try:
        contents, styles = crop_pools(HANDED_IN_CROP)
    except DataError as error:
        pytest.skip(str(error))
    rng = seeded_rng("adain handed-in crops")
    return (
        random_crops(contents, HANDED_IN_PAIRS, HANDED_IN_CROP, rng),
        random_crops(styles, HANDED_IN_PAIRS, HANDED_IN_CROP, rng),
    )


@pytest.fixture(scope="module")
def handed_in(submission):
    """The handed-in decoder's figures on held-out crops."""
    contents, styles = _handed_in_crops_or_skip()
    return submission.probe(
        None, probes.handed_in_decoder, TRAINED_WEIGHTS, TRAINED_SETTINGS, contents, styles, 0
    )


def _figures_or_fail(result):
    fail_unless_loaded(
        result, "build_adain_decoder", TRAINED_WEIGHTS, TRAINED_SETTINGS, SETTINGS_KEYS
    )
    if "channels" in result:
        fail(
            _(
                "The handed-in decoder takes {channels} channels; the encoder's block4_conv1 "
                "gives 512: save it from build_adain_decoder() (channels 512) with the cell that "
                "saves it."
            ).format(channels=result["channels"])
        )
    if result.get("no_imagenet_weights"):
        fail(
            _(
                "{settings} says the decoder was trained with VGG19's ImageNet weights, which "
                "this grader does not have (`igcourse data fetch vgg19-notop` fetches them "
                "where there is internet). Hand in a decoder trained with the seeded random "
                "weights (without the weights file), or ask your instructor."
            ).format(settings=TRAINED_SETTINGS)
        )
    _fail_if_raised(result, _("measuring the handed-in decoder on 32 pairs of crops"))
    return result


@pytest.mark.handed_in
@pytest.mark.part("trained_adain")
def test_the_handed_in_decoder_inverts_a_contents_own_features(submission, handed_in):
    """Does encoding the decoding of f(c) give back f(c)?"""
    figures = _figures_or_fail(handed_in)
    most = _threshold("adain_reconstruction_max")
    check(
        figures["reconstruction"] <= most,
        _(
            "Decoding the content crops' own block4_conv1 features f(c) and encoding the result "
            "gives back f(c) with a mean squared error of {error:.2f} times the mean square of "
            "f(c) ({count} held-out crops); the course asks for at most {limit:.2f} (an "
            "untrained decoder gives tens). Check the content loss (against t, the AdaIN "
            "target) and train longer."
        ).format(error=figures["reconstruction"], count=HANDED_IN_PAIRS, limit=most),
    )
