"""Hidden checks of neural style transfer: VGG19's preprocessing, the feature extractor, the Gram
matrix, the losses and the optimisation step.

Every check gets its values through a probe (probes_neural_style_transfer.py) and judges them
here, against the reference's values. The extractor runs on a tiny network with VGG19's layer
names and another preprocessing, the losses with another Gram matrix, the step with another loss
on a tiny extractor (probes_neural_style_transfer.STAND_INS), so that each part is judged alone.
Sizes differ from the notebook's (other layers, images that are not square, batches of two).
"""

from functools import partial

import numpy as np
import probes_neural_style_transfer as probes
import pytest

from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.mutants import same_values
from igcourse.grading.probing import raised
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "vgg_preprocess": ["vgg_preprocess"],
    "feature_extractor": ["build_feature_extractor"],
    "gram_matrix": ["gram_matrix"],
    "nst_losses": ["content_loss", "style_loss", "total_variation", "transfer_loss"],
    "transfer_step": ["make_transfer_step"],
}

test_public_checks = public_checks_test("ch05_style_transfer", PART_NAMES, probes)


def _close(rtol=1e-4, atol=1e-5):
    """same= for the zoo: equal within tolerance, lists of arrays of any shapes element-wise."""
    return partial(same_values, rtol=rtol, atol=atol)


def _fail_if_raised(value, call):
    if raised(value):
        fail(_("{call} raised {error}.").format(call=call, error=value["error"]))


# ---------------------------------------------------------------- vgg_preprocess
def _preprocess_inputs():
    images = seeded_rng("nst preprocess").uniform(0, 1, (2, 5, 7, 3)).astype(np.float32)
    images[0, 0, :3] = np.eye(3)  # pure red, green and blue pixels: the channel order shows
    return images


@pytest.fixture(scope="module")
def preprocessed(submission, reference):
    images = _preprocess_inputs()
    value = submission.probe("vgg_preprocess", probes.preprocess_values, images)
    return value, reference.probe("vgg_preprocess", probes.preprocess_values, images)


def _preprocess_explain(mistakes, value, key):
    images = _preprocess_inputs()
    return partial(
        mistakes.explain,
        "vgg_preprocess",
        lambda ns: probes.preprocess_values(ns, images)[key],
        value[key],
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("vgg_preprocess")
def test_preprocessing_gives_vgg19s_input(submission, preprocessed, mistakes):
    """2 images of 5 x 7 (pure red, green and blue pixels among them): x 255, RGB to BGR, the
    ImageNet means subtracted, once?"""
    value, expected = preprocessed
    _fail_if_raised(value["eager"], _("vgg_preprocess(2 images of 5 x 7 pixels)"))
    assert_close(
        value["eager"],
        expected["eager"],
        _(
            "vgg_preprocess(images) (the values times 255, the channels reversed to B, G, R, "
            "then 103.939, 116.779 and 123.68 subtracted from B, G and R)"
        ),
        1e-5,
        1e-3,
        _preprocess_explain(mistakes, value, "eager"),
    )


@pytest.mark.defining
@pytest.mark.part("vgg_preprocess")
def test_preprocessing_works_on_tensors_in_a_tf_function(submission, preprocessed, mistakes):
    """The same values for a symbolic batch of unknown size inside a tf.function?"""
    value, expected = preprocessed
    traced = value["traced"]
    if raised(traced):
        fail(
            _(
                "vgg_preprocess on a tensor of shape (None, None, None, 3) inside a tf.function "
                "raised {error}. The extractor calls it inside a model, on symbolic tensors: "
                "write it with keras.ops or tf, not NumPy."
            ).format(error=traced["error"])
        )
    assert_close(
        value["traced"],
        expected["traced"],
        _("vgg_preprocess(images) inside a tf.function"),
        1e-5,
        1e-3,
        _preprocess_explain(mistakes, value, "traced"),
    )


# ---------------------------------------------------------------- feature_extractor
EXTRACTOR_SEED = 3
CONTENT_LAYERS = ("block4_conv1",)  # not the notebook's
STYLE_LAYERS = ("block3_conv1", "block1_conv2", "block5_conv1")  # not in the network's order
SIZES = ((16, 20), (12, 8))


def _extractor_probe(ns):
    return probes.extractor_facts(ns, EXTRACTOR_SEED, CONTENT_LAYERS, STYLE_LAYERS, SIZES)


def _flat_outputs(outputs):
    """Each size's content then style activations in one list (the zoo compares lists); an
    error or a result that is not the asked dict as its text."""
    flat = []
    for output in outputs:
        if "content" in output and "style" in output:
            flat += [*output["content"], *output["style"]]
        else:
            flat.append(str(output))
    return flat


@pytest.fixture(scope="module")
def extractor(submission, reference):
    arguments = (EXTRACTOR_SEED, CONTENT_LAYERS, STYLE_LAYERS, SIZES)
    value = submission.probe("feature_extractor", probes.extractor_facts, *arguments)
    return value, reference.probe("feature_extractor", probes.extractor_facts, *arguments)


@pytest.mark.defining
@pytest.mark.part("feature_extractor")
def test_the_extractor_returns_the_asked_layers(submission, extractor, mistakes):
    """A tiny VGG19-named network, content block4_conv1, style block3_conv1, block1_conv2 and
    block5_conv1 (in that order), images of 16 x 20 and 12 x 8: the reference's activations,
    the preprocessing applied once?"""
    value, expected = extractor
    explain = partial(
        mistakes.explain,
        "feature_extractor",
        lambda ns: _flat_outputs(_extractor_probe(ns)["outputs"]),
        _flat_outputs(value["outputs"]),
        _close(),
    )
    call = _("build_feature_extractor(vgg, content_layers={content}, style_layers={style})").format(
        content=CONTENT_LAYERS, style=STYLE_LAYERS
    )
    for got, want, (height, width) in zip(
        value["outputs"], expected["outputs"], SIZES, strict=True
    ):
        _fail_if_raised(
            got, _("{call} on 2 images of {h} x {w}").format(call=call, h=height, w=width)
        )
        check(
            "not_a_dict" not in got,
            _(
                '{call} returned {kind} for 2 images; it must return a dict {{"content": [...], '
                '"style": [...]}}, one activation per asked layer.'
            ).format(call=call, kind=got.get("not_a_dict")),
            explain,
        )
        for group, layers in (("content", CONTENT_LAYERS), ("style", STYLE_LAYERS)):
            check(
                len(got[group]) == len(layers),
                _(
                    "{call} gave {count} {group} activations; it must give one per layer of "
                    "{layers}, in that order."
                ).format(call=call, count=len(got[group]), group=group, layers=layers),
                explain,
            )
            for index, (mine, theirs) in enumerate(zip(got[group], want[group], strict=True)):
                assert_close(
                    mine,
                    theirs,
                    _(
                        "the {group} activation of layer {layer} for 2 images of {h} x {w} "
                        "(vgg_preprocess applied once to the images, then the network's own "
                        "layers up to that one)"
                    ).format(group=group, layer=layers[index], h=height, w=width),
                    1e-4,
                    1e-5,
                    explain,
                )


@pytest.mark.part("feature_extractor")
def test_the_extractor_is_a_model_that_keeps_the_networks_weights(submission, extractor):
    """A keras.Model, and the network's weights as they were?"""
    value, _expected = extractor
    check(
        value["is_model"],
        _(
            "build_feature_extractor must return a keras.Model (so that it can be called on any "
            "batch and its layers looked at)."
        ),
    )
    check(
        value["weights_kept"],
        _(
            "build_feature_extractor changed the network's weights: use the layers of the vgg "
            "it is given with their weights, as they are."
        ),
    )


# ---------------------------------------------------------------- gram_matrix
GRAM_SHAPE = (3, 4, 5, 6)  # (B, H, W, C): H != W, C != H * W


def _gram_features():
    return seeded_rng("nst gram").standard_normal(GRAM_SHAPE).astype(np.float32)


@pytest.fixture(scope="module")
def grams(submission, reference):
    features = _gram_features()
    value = submission.probe("gram_matrix", probes.gram_values, features)
    return value, reference.probe("gram_matrix", probes.gram_values, features)


def _gram_explain(mistakes, value, key):
    features = _gram_features()
    return partial(
        mistakes.explain,
        "gram_matrix",
        lambda ns: probes.gram_values(ns, features)[key],
        value[key],
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("gram_matrix")
def test_the_gram_matrix_is_exact(submission, grams, mistakes):
    """features (3, 4, 5, 6) -> (3, 6, 6): F_b^T F_b / (H * W) for each sample b?"""
    value, expected = grams
    _fail_if_raised(
        value["gram"], _("gram_matrix(features of shape {shape})").format(shape=GRAM_SHAPE)
    )
    assert_close(
        value["gram"],
        expected["gram"],
        _(
            "gram_matrix(features of shape (3, 4, 5, 6)) (for each sample, the sum over the 20 "
            "positions of the products of two channels, divided by H * W = 20)"
        ),
        1e-4,
        1e-5,
        _gram_explain(mistakes, value, "gram"),
    )


@pytest.mark.part("gram_matrix")
def test_each_sample_has_its_own_gram_matrix(submission, grams, mistakes):
    """Each sample's Gram matrix alone equals its row of the batch's?"""
    value, expected = grams
    _fail_if_raised(value["single"], _("gram_matrix on one sample (1, 4, 5, 6)"))
    assert_close(
        value["single"],
        expected["single"],
        _(
            "gram_matrix of each sample on its own (a sample's Gram matrix must not depend on "
            "the other samples of the batch)"
        ),
        1e-4,
        1e-5,
        _gram_explain(mistakes, value, "single"),
    )


# ---------------------------------------------------------------- nst_losses
LOSS_SEED = 11


@pytest.fixture(scope="module")
def losses(submission, reference):
    value = submission.probe("nst_losses", probes.loss_values, LOSS_SEED)
    return value, reference.probe("nst_losses", probes.loss_values, LOSS_SEED)


def _loss_check(value, expected, mistakes, key, description):
    _fail_if_raised(value[key], description)
    assert_close(
        value[key],
        expected[key],
        description,
        1e-4,
        1e-5,
        partial(
            mistakes.explain,
            "nst_losses",
            lambda ns: probes.loss_values(ns, LOSS_SEED)[key],
            value[key],
            _close(),
        ),
    )


@pytest.mark.defining
@pytest.mark.part("nst_losses")
def test_the_style_loss_averages_gram_errors_over_layers(submission, losses, mistakes):
    """3 style layers of 2 samples, targets (1, C, C): the mean over layers of the mean squared
    difference between gram_matrix(F) and the target?"""
    value, expected = losses
    _loss_check(
        value,
        expected,
        mistakes,
        "style",
        _(
            "style_loss(3 layers of 2 samples, targets of shape (1, C, C)) (the mean over the "
            "layers of mean((gram_matrix(F) - A) ** 2), A serving both samples)"
        ),
    )


@pytest.mark.part("nst_losses")
def test_the_content_loss_is_the_mean_squared_error(submission, losses, mistakes):
    """2 content layers of other shapes: the mean over layers of mean((F - P) ** 2)?"""
    value, expected = losses
    _loss_check(
        value,
        expected,
        mistakes,
        "content",
        _("content_loss(2 layers, 2 samples) (the mean over the layers of mean((F - P) ** 2))"),
    )


@pytest.mark.part("nst_losses")
def test_the_total_variation_is_the_mean_absolute_step(submission, losses, mistakes):
    """2 images of 6 x 7: mean |vertical step| + mean |horizontal step|?"""
    value, expected = losses
    _loss_check(
        value,
        expected,
        mistakes,
        "tv",
        _(
            "total_variation(2 images of 6 x 7) (mean |x[:, i + 1, j] - x[:, i, j]| + mean "
            "|x[:, i, j + 1] - x[:, i, j]|)"
        ),
    )


@pytest.mark.part("nst_losses")
def test_the_total_variation_of_the_image_variable_works_in_a_tf_function(
    submission, losses, mistakes
):
    """total_variation(a tf.Variable) inside a tf.function, as the step calls it?"""
    value, expected = losses
    got = value["tv_of_a_variable"]
    if raised(got):
        fail(
            _(
                "total_variation(image), image a tf.Variable inside a tf.function (as the step "
                "calls it), raised {error}. Some keras.ops functions (keras.ops.diff, say) do "
                "not take a variable there: slice it, or convert it with tf.convert_to_tensor "
                "first."
            ).format(error=got["error"])
        )
    _loss_check(
        value,
        expected,
        mistakes,
        "tv_of_a_variable",
        _("total_variation(image), image a tf.Variable inside a tf.function"),
    )


@pytest.mark.part("nst_losses")
def test_transfer_loss_weights_the_three_terms(submission, losses, mistakes):
    """Weights 0.7, 1.9 and 0.4: (total, content, style, tv), total the weighted sum?"""
    value, expected = losses
    _loss_check(
        value,
        expected,
        mistakes,
        "transfer",
        _(
            "transfer_loss(..., content_weight=0.7, style_weight=1.9, tv_weight=0.4) (total, "
            "content, style, tv), total = 0.7 * content + 1.9 * style + 0.4 * tv"
        ),
    )


# ---------------------------------------------------------------- transfer_step
STEP_SEED = 4


@pytest.fixture(scope="module")
def stepped(submission, reference):
    value = submission.probe("transfer_step", probes.step_effects, STEP_SEED)
    return value, reference.probe("transfer_step", probes.step_effects, STEP_SEED)


def _step_explain(mistakes, value, key):
    return partial(
        mistakes.explain,
        "transfer_step",
        lambda ns: probes.step_effects(ns, STEP_SEED)[key],
        value[key],
        _close(),
    )


@pytest.mark.defining
@pytest.mark.part("transfer_step")
def test_one_step_moves_the_image_like_the_reference(submission, stepped, mistakes):
    """One SGD step (rate 0.2) of another loss on a tiny extractor: the image descends the
    total's gradient and is clipped to [0, 1], as the reference's?"""
    value, expected = stepped
    _fail_if_raised(value["returned"], _("step(image) (one step on an 8 x 8 image)"))
    assert_close(
        value["image"],
        expected["image"],
        _(
            "the image after one step (SGD, rate 0.2: image - 0.2 * the gradient of the total "
            "with respect to the image, then clipped to [0, 1])"
        ),
        1e-4,
        1e-5,
        _step_explain(mistakes, value, "image"),
    )


@pytest.mark.defining
@pytest.mark.part("transfer_step")
def test_the_step_leaves_the_network_alone(submission, stepped, mistakes):
    """The extractor's weights unchanged?"""
    value, _expected = stepped
    check(
        value["weights_kept"],
        _(
            "step(image) changed the extractor's weights: the optimizer must update the image "
            "alone (optimizer.apply_gradients([(gradient, image)]))."
        ),
        _step_explain(mistakes, value, "weights_kept"),
    )


@pytest.mark.part("transfer_step")
def test_the_step_is_a_tf_function(submission, stepped):
    """make_transfer_step returns a tf.function?"""
    value, _expected = stepped
    check(
        value["is_function"],
        _("make_transfer_step must return a function decorated with @tf.function."),
    )


@pytest.mark.part("transfer_step")
def test_the_step_returns_the_losses_before_the_update(submission, stepped, mistakes):
    """(total, content, style, tv) of the image the step was given?"""
    value, expected = stepped
    _fail_if_raised(value["returned"], _("step(image) (one step on an 8 x 8 image)"))
    assert_close(
        value["returned"],
        expected["returned"],
        _("what step(image) returns: (total, content, style, tv) computed before the update"),
        1e-4,
        1e-5,
        _step_explain(mistakes, value, "returned"),
    )


RUN_STEPS = 25
RUN_RATE = 0.05


@pytest.mark.part("transfer_step")
def test_a_run_of_steps_lowers_the_style_loss_like_the_reference(submission, reference):
    """25 Adam steps (rate 0.05) of another loss on a tiny extractor: the style term falls by at
    least 80% of the reference's fall, and the content term ends within 1.5 times the
    reference's?"""
    arguments = (STEP_SEED, RUN_STEPS, RUN_RATE)
    value = submission.probe("transfer_step", probes.run_effects, *arguments)
    expected = reference.probe("transfer_step", probes.run_effects, *arguments)
    _fail_if_raised(value, _("25 steps of step(image) (Adam, rate 0.05)"))
    start_style = expected["returned"][0][2]
    fall, wanted_fall = start_style - value["end"][2], start_style - expected["end"][2]
    check(
        fall >= 0.8 * wanted_fall,
        _(
            "After 25 steps (Adam, rate 0.05) the style term is {got:.4g}, from {start:.4g}; the "
            "reference's steps bring it to {expected:.4g}. Each step must descend the total "
            "loss's gradient with the optimizer it is given, on the image variable itself, and "
            "keep the optimizer's state from step to step."
        ).format(got=value["end"][2], start=start_style, expected=expected["end"][2]),
    )
    check(
        value["end"][1] <= 1.5 * expected["end"][1] + 1e-3,
        _(
            "After 25 steps (Adam, rate 0.05) the content term is {got:.4g}; the reference's "
            "steps end at {expected:.4g}: the run must lower the style without losing the "
            "content."
        ).format(got=value["end"][1], expected=expected["end"][1]),
    )
