"""Hidden checks of dcgan: the two losses, the networks, the training steps, the trained generator.

Every check gets its values through a probe (probes_dcgan.py) and judges them here, against the
reference's values or the mathematics. Each part is checked with the reference's definitions of
the other parts (see PART_NAMES).
"""

import math
from pathlib import Path

import numpy as np
import probes_dcgan as probes
import pytest

from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "discriminator_loss": ["discriminator_loss"],
    "generator_loss": ["generator_loss"],
    "dcgan_models": ["build_generator", "build_discriminator"],
    "train_steps": ["make_gan_steps"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch03_gan", PART_NAMES, probes)

# The training run of test_training_lowers_the_frechet_distance (about 25 s on 2 CPU cores).
QUALITY_STEPS = 300
QUALITY_BATCH = 64
QUALITY_Z = 100
QUALITY_FILTERS = 32
QUALITY_SAMPLES = 1000
QUALITY_IMAGES = 20_000
QUALITY_MAX_RATIO = 0.7  # the Frechet distance after training, as a fraction of the initial one

TRAINED_WEIGHTS = "dcgan_generator.weights.h5"  # saved by the notebook after its training run
TRAINED_SETTINGS = "dcgan_generator.json"  # the build_generator arguments of that run
HANDED_IN_SAMPLES = 1000


def _close(rtol=1e-4, atol=1e-5):
    def same(a, b):
        try:
            return bool(np.allclose(np.asarray(a, float), np.asarray(b, float), rtol, atol))
        except (TypeError, ValueError):
            return False

    return same


def _explainer(mistakes, part, probe, observed, same):
    """explain(key): on failure, the known mistakes whose probe gives the same observed[key]."""

    def explain(key):
        return lambda: mistakes.explain(part, lambda ns: probe(ns)[key], observed[key], same)

    return explain


def _explain(mistakes, part, probe, *args):
    """A function naming the zoo's mistakes whose probe result equals `observed`."""

    def explain(observed, same=None):
        return lambda: mistakes.explain(
            part, lambda ns: probe(ns, *args), observed, same or _close()
        )

    return explain


def _same_or_both_infinite(a, b):
    a, b = _scalar(a), _scalar(b)
    return (not math.isfinite(a) and not math.isfinite(b)) or math.isclose(a, b, rel_tol=1e-3)


def _logits(label, size, scale=2.0):
    return (scale * seeded_rng(label).normal(size=(size, 1))).astype(np.float32)


def _scalar(value):
    """A loss as a float; NaN for anything that is not one number (judged elsewhere)."""
    try:
        array = np.asarray(value, np.float64)
    except (TypeError, ValueError):
        return math.nan
    return float(array.reshape(())) if array.size == 1 else math.nan


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, np.float64))


# ---------------------------------------------------------------- discriminator_loss
@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_matches_the_reference(submission, reference, mistakes):
    """Is the loss mean BCE(1, real) + mean BCE(0, fake) on random logits, batches of 2 sizes?"""
    real, fake = _logits("d loss real", 7), _logits("d loss fake", 5)
    value = submission.probe("discriminator_loss", probes.d_loss, real, fake)
    expected = reference.probe("discriminator_loss", probes.d_loss, real, fake)
    explain = _explain(mistakes, "discriminator_loss", probes.d_loss, real, fake)
    assert_close(
        value,
        expected,
        _(
            "discriminator_loss on random logits (7 real, 5 generated; it should be mean "
            "BCE(1, real logits) + mean BCE(0, fake logits))"
        ),
        1e-4,
        1e-5,
        explain=explain(value),
    )


@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_is_stable_at_extreme_logits(submission, mistakes):
    """Does the loss stay finite and exact, with finite gradients, at logits of +-120?"""
    real = np.array([[120.0], [-120.0], [0.0]], np.float32)
    fake = np.array([[-120.0], [120.0]], np.float32)
    expected = float(np.mean(_softplus(-real)) + np.mean(_softplus(fake)))
    value = submission.probe("discriminator_loss", probes.d_loss, real, fake)
    explain = _explain(mistakes, "discriminator_loss", probes.d_loss, real, fake)
    check(
        math.isclose(_scalar(value), expected, rel_tol=1e-3),
        _(
            "On logits of +-120 discriminator_loss gives {value}, but should give {expected:.3f}. "
            "Compute the cross-entropy from the logits (from_logits=True, or "
            "tf.nn.sigmoid_cross_entropy_with_logits); log(sigmoid(l)) overflows to -inf in "
            "float32."
        ).format(value=_scalar(value), expected=expected),
        explain(value, _same_or_both_infinite),
    )
    grads = submission.probe("discriminator_loss", probes.d_loss_gradients, real, fake)
    check(
        all(g is not None and np.all(np.isfinite(g)) for g in grads),
        _(
            "The gradient of discriminator_loss at logits of +-120 is missing or not finite; "
            "compute the loss from the logits with TensorFlow or keras.ops operations."
        ),
    )


@pytest.mark.part("discriminator_loss")
def test_discriminator_loss_gradients_push_the_right_way(submission, reference, mistakes):
    """Does minimising the loss raise the real logits and lower the fake ones, as the reference?"""
    real, fake = _logits("d grad real", 4), _logits("d grad fake", 6)
    grads = submission.probe("discriminator_loss", probes.d_loss_gradients, real, fake)
    expected = reference.probe("discriminator_loss", probes.d_loss_gradients, real, fake)
    if any(g is None for g in grads):
        fail(_("discriminator_loss gives no gradient with respect to the logits."))
    for got, want, which in zip(grads, expected, (_("real"), _("generated")), strict=True):
        assert_close(
            got,
            want,
            _("The gradient of discriminator_loss with respect to the {which} logits").format(
                which=which
            ),
            1e-4,
            1e-6,
            explain=_explain(mistakes, "discriminator_loss", probes.d_loss_gradients, real, fake)(
                grads
            ),
        )


# ---------------------------------------------------------------- generator_loss
@pytest.mark.part("generator_loss")
def test_generator_loss_matches_the_reference(submission, reference, mistakes):
    """Is the loss the non-saturating mean BCE(1, fake) on random logits?"""
    fake = _logits("g loss fake", 9)
    value = submission.probe("generator_loss", probes.g_loss, fake)
    expected = reference.probe("generator_loss", probes.g_loss, fake)
    assert_close(
        value,
        expected,
        _(
            "generator_loss on random logits (it should be the non-saturating loss, mean "
            "BCE(1, fake logits) = mean -log sigmoid(l))"
        ),
        1e-4,
        1e-5,
        explain=_explain(mistakes, "generator_loss", probes.g_loss, fake)(value),
    )


@pytest.mark.part("generator_loss")
def test_generator_loss_keeps_its_gradient_when_d_rejects_fakes(submission, mistakes):
    """At very negative logits (D sure the images are fake), is the gradient about -1/B?"""
    fake = np.array([[-15.0], [-25.0], [-40.0], [-60.0]], np.float32)
    grad = submission.probe("generator_loss", probes.g_loss_gradient, fake)
    explain = _explain(mistakes, "generator_loss", probes.g_loss_gradient, fake)
    check(
        grad is not None,
        _("generator_loss gives no gradient: compute it with TensorFlow or keras.ops operations."),
    )
    grad = np.asarray(grad, np.float64).ravel()
    check(
        grad.shape == (4,) and np.all(np.isfinite(grad)) and np.allclose(grad, -0.25, atol=1e-3),
        _(
            "When the discriminator rejects the generated images (logits -15 to -60, batch of "
            "4), the gradient of generator_loss with respect to each logit should be about "
            "-1/4, so that the generator still learns; yours is {grad}. The saturating loss "
            "log(1 - sigmoid(l)) has almost no gradient there: minimise -log sigmoid(l) instead, "
            "from the logits."
        ).format(grad=np.array2string(grad, precision=4)),
        explain(grad.reshape(-1, 1) if grad.size == 4 else grad, _close(1e-3, 1e-12)),
    )


@pytest.mark.part("generator_loss")
def test_generator_loss_is_stable_at_extreme_logits(submission, mistakes):
    """Is the loss finite and exact at logits of +-120?"""
    fake = np.array([[-120.0], [120.0]], np.float32)
    expected = float(np.mean(_softplus(-fake)))
    value = submission.probe("generator_loss", probes.g_loss, fake)
    check(
        math.isclose(_scalar(value), expected, rel_tol=1e-3),
        _(
            "On logits of +-120 generator_loss gives {value}, but should give {expected:.3f}: "
            "compute the cross-entropy from the logits, not log(sigmoid(l))."
        ).format(value=_scalar(value), expected=expected),
        _explain(mistakes, "generator_loss", probes.g_loss, fake)(value, _same_or_both_infinite),
    )


# ---------------------------------------------------------------- dcgan_models
@pytest.mark.part("dcgan_models")
def test_generator_shape_parameters_and_tanh(submission, reference, mistakes):
    """Does build_generator map (B, z) to (B, 28, 28, 1) in [-1, 1], with the table's layers?"""
    args = (12, 6, 3)
    facts = submission.probe("dcgan_models", probes.generator_facts, *args)
    expected = reference.probe("dcgan_models", probes.generator_facts, *args)

    explain = _explainer(
        mistakes,
        "dcgan_models",
        lambda ns: probes.generator_facts(ns, *args),
        facts,
        _close(1e-3, 1e-3),
    )

    check(
        facts["shape"] == [6, 28, 28, 1],
        _(
            "build_generator(12, 6) maps noise of shape (6, 12) to images of shape {shape}; "
            "expected (6, 28, 28, 1)."
        ).format(shape=tuple(facts["shape"])),
        explain("shape"),
    )
    check(
        facts["scaled_min"] >= -1 - 1e-5 and facts["scaled_max"] <= 1 + 1e-5,
        _(
            "With a large last layer, your generator's pixels range from {low:.3f} to "
            "{high:.3f}; they must stay in [-1, 1]: end the generator with a tanh."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_max"),
    )
    check(
        facts["scaled_min"] < -0.9 and facts["scaled_max"] > 0.9,
        _(
            "With a large last layer, your generator's pixels range from {low:.3f} to "
            "{high:.3f}, not the whole of [-1, 1] that the data fills: end the generator with a "
            "tanh (a sigmoid gives [0, 1])."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_min"),
    )
    check(
        (facts["params"], facts["trainable"]) == (expected["params"], expected["trainable"]),
        _(
            "build_generator(12, 6) has {params} parameters ({trainable} trainable); the table "
            "gives {expected} ({expected_trainable} trainable). Follow its layers: Dense without "
            "bias, batch normalisation, two transposed convolutions of 4x4 with stride 2."
        ).format(
            params=facts["params"],
            trainable=facts["trainable"],
            expected=expected["params"],
            expected_trainable=expected["trainable"],
        ),
        explain("params"),
    )


@pytest.mark.part("dcgan_models")
def test_discriminator_shape_parameters_and_logits(submission, reference, mistakes):
    """Does build_discriminator map (B, 28, 28, 1) to logits (B, 1), with the table's layers?"""
    args = (6, 4)
    facts = submission.probe("dcgan_models", probes.discriminator_facts, *args)
    expected = reference.probe("dcgan_models", probes.discriminator_facts, *args)

    explain = _explainer(
        mistakes,
        "dcgan_models",
        lambda ns: probes.discriminator_facts(ns, *args),
        facts,
        _close(1e-3, 1e-3),
    )

    check(
        facts["shape"] == [6, 1],
        _(
            "build_discriminator(6) maps images of shape (6, 28, 28, 1) to shape {shape}; "
            "expected one logit per image, (6, 1)."
        ).format(shape=tuple(facts["shape"])),
        explain("shape"),
    )
    check(
        facts["scaled_max"] - facts["scaled_min"] > 2.0,
        _(
            "With a large last layer, your discriminator's outputs stay within [{low:.3f}, "
            "{high:.3f}]: it must output logits, so leave its last Dense layer without an "
            "activation (the losses apply the sigmoid)."
        ).format(low=facts["scaled_min"], high=facts["scaled_max"]),
        explain("scaled_max"),
    )
    check(
        (facts["params"], facts["trainable"]) == (expected["params"], expected["trainable"]),
        _(
            "build_discriminator(6) has {params} parameters ({trainable} trainable); the table "
            "gives {expected} ({expected_trainable} trainable). Follow its layers: two 4x4 "
            "convolutions with stride 2, batch normalisation after the second only, one Dense "
            "logit."
        ).format(
            params=facts["params"],
            trainable=facts["trainable"],
            expected=expected["params"],
            expected_trainable=expected["trainable"],
        ),
        explain("params"),
    )


# ---------------------------------------------------------------- train_steps
def _all_close(a, b):
    if not isinstance(a, list) or not isinstance(b, list):
        return _close(1e-4, 1e-6)(a, b)
    return len(a) == len(b) and all(_close(1e-4, 1e-6)(x, y) for x, y in zip(a, b, strict=True))


def _changed(before, after):
    return [not np.array_equal(b, a) for b, a in zip(before, after, strict=True)]


def _effects(submission, reference, mistakes, seed=7):
    value = submission.probe("train_steps", probes.step_effects, seed)
    expected = reference.probe("train_steps", probes.step_effects, seed)

    explain = _explainer(
        mistakes, "train_steps", lambda ns: probes.step_effects(ns, seed), value, _all_close
    )

    return value, expected, explain


@pytest.mark.part("train_steps")
def test_d_step_updates_only_the_discriminator(submission, reference, mistakes):
    """Does d_step leave G alone and change D by one step on discriminator_loss?"""
    value, expected, explain = _effects(submission, reference, mistakes)
    check(
        not any(_changed(value["g_before"], value["g_after_d"])),
        _(
            "d_step changed the generator's variables. Apply the gradients of "
            "discriminator_loss to discriminator.trainable_variables only."
        ),
        explain("g_after_d"),
    )
    if not any(_changed(value["d_before"], value["d_after_d"])):
        fail(
            _(
                "d_step did not change the discriminator: apply the gradients of "
                "discriminator_loss with d_optimizer.apply_gradients."
            ),
            explain("d_after_d"),
        )
    for got, want in zip(value["d_after_d"], expected["d_after_d"], strict=True):
        assert_close(
            got,
            want,
            _(
                "The discriminator's variables after one d_step with SGD(0.1) (one step on "
                "discriminator_loss(D(real), D(G(z))))"
            ),
            1e-4,
            1e-6,
            explain=explain("d_after_d"),
        )


@pytest.mark.part("train_steps")
def test_g_step_updates_only_the_generator(submission, reference, mistakes):
    """Does g_step leave D alone (no freeze-compile idiom) and change G by one step?"""
    value, expected, explain = _effects(submission, reference, mistakes)
    check(
        not any(_changed(value["d_after_d"], value["d_after_g"])),
        _(
            "g_step changed the discriminator's variables, so the generator's step also trains "
            "D to call fakes real. Apply the gradients of generator_loss to "
            "generator.trainable_variables only."
        ),
        explain("d_after_g"),
    )
    if not any(_changed(value["g_after_d"], value["g_after_g"])):
        fail(
            _(
                "g_step did not change the generator: apply the gradients of generator_loss "
                "with g_optimizer.apply_gradients."
            ),
            explain("g_after_g"),
        )
    for got, want in zip(value["g_after_g"], expected["g_after_g"], strict=True):
        assert_close(
            got,
            want,
            _(
                "The generator's variables after one g_step with SGD(0.1) (one step on "
                "generator_loss(D(G(z))))"
            ),
            1e-4,
            1e-6,
            explain=explain("g_after_g"),
        )


@pytest.mark.part("train_steps")
def test_steps_return_their_losses(submission, reference, mistakes):
    """Do d_step and g_step return their losses, computed before their updates?"""
    value, expected, explain = _effects(submission, reference, mistakes)
    assert_close(
        value["d_loss"],
        expected["d_loss"],
        _("The loss d_step returns (discriminator_loss before the update)"),
        1e-4,
        1e-6,
        explain=explain("d_loss"),
    )
    assert_close(
        value["g_loss"],
        expected["g_loss"],
        _("The loss g_step returns (generator_loss before the update)"),
        1e-4,
        1e-6,
        explain=explain("g_loss"),
    )


def _fashion_mnist_or_skip(split):
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        return load_fashion_mnist(split)
    except DatasetNotFound as error:
        pytest.skip(str(error))


def _frechet(samples):
    """Frechet distance of generated images in [-1, 1] to the test split, evaluator features."""
    from igcourse.evaluation import fit_gaussian, frechet_distance, load_evaluator
    from igcourse.evaluation.reference import reference_features

    pixels = np.clip((np.asarray(samples, np.float32) + 1) / 2, 0, 1)
    features, _probabilities = load_evaluator().features_and_probabilities(pixels)
    real_features = reference_features()[0]
    return frechet_distance(fit_gaussian(features), fit_gaussian(real_features))


@pytest.mark.expensive
@pytest.mark.part("train_steps")
def test_training_lowers_the_frechet_distance(submission):
    """Does a short run of your DCGAN (networks, losses, steps) bring its samples closer to real?"""
    train_images, _labels = _fashion_mnist_or_skip("train")
    images = (train_images[:QUALITY_IMAGES].astype(np.float32) / 127.5 - 1)[..., None]
    result = submission.probe(
        None,
        probes.train_and_sample,
        images,
        QUALITY_STEPS,
        QUALITY_BATCH,
        QUALITY_Z,
        QUALITY_FILTERS,
        3,
        QUALITY_SAMPLES,
    )
    before, after = _frechet(result["before"]), _frechet(result["after"])
    check(
        np.isfinite(after) and after < QUALITY_MAX_RATIO * before,
        _(
            "After {steps} steps (batch {batch}) of your DCGAN (your networks, losses and steps), "
            "the Frechet distance of its samples went from {before:.1f} to {after:.1f}; training "
            "should bring it below {limit:.1f}. Check that each step minimises its own loss on "
            "its own network's variables."
        ).format(
            steps=QUALITY_STEPS,
            batch=QUALITY_BATCH,
            before=before,
            after=after,
            limit=QUALITY_MAX_RATIO * before,
        ),
    )


def _threshold(name):
    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch03_gan"][name]


@pytest.mark.handed_in
@pytest.mark.part("train_steps")
def test_the_handed_in_generator_meets_the_reference_thresholds(submission):
    """Do the samples of the generator the notebook trained reach the course's bars?"""
    from igcourse.evaluation import evaluate_samples

    no_generator = _(
        "No trained generator was handed in: run the training cells of the notebook to the end "
        "(they save {weights} and {settings} next to it) and submit both files with the "
        "notebook."
    ).format(weights=TRAINED_WEIGHTS, settings=TRAINED_SETTINGS)
    folder = submission.folder
    if folder is None or not (folder / TRAINED_WEIGHTS).exists():
        fail(no_generator)
    _fashion_mnist_or_skip("test")
    result = submission.probe(
        None, probes.handed_in_samples, TRAINED_WEIGHTS, TRAINED_SETTINGS, HANDED_IN_SAMPLES, 0
    )
    if result.get("missing"):
        fail(no_generator)
    if "load_error" in result:
        fail(
            _(
                "{weights} does not fit the generator that build_generator builds with the "
                "settings in {settings} ({error}). Save both from the same run, with the cell "
                "that saves them."
            ).format(weights=TRAINED_WEIGHTS, settings=TRAINED_SETTINGS, error=result["load_error"])
        )
    samples = result["samples"]
    pixels = np.clip((np.asarray(samples, np.float32) + 1) / 2, 0, 1)
    result = evaluate_samples(pixels, kid_subsets=10)
    fd_max = _threshold("dcgan_fd_max")
    classes_min = _threshold("dcgan_classes_covered_at_share_min")
    copies_max = _threshold("dcgan_copies_max")
    check(
        np.isfinite(result["fd"]) and result["fd"] <= fd_max,
        _(
            "The samples of your trained generator have a Frechet distance of {fd:.1f} to real "
            "images (real images score {floor:.1f}); the course asks for {limit:.1f} or less. "
            "Train longer, or check the networks and the training steps."
        ).format(fd=result["fd"], floor=result["fd_floor"], limit=fd_max),
    )
    check(
        result["classes_covered_at_share"] >= classes_min,
        _(
            "Your trained generator's samples cover {covered:.0%} of the 10 garment classes (with "
            "at least 2% of the samples each); the course asks for {limit:.0%}. A generator that "
            "makes only a few kinds of garment has collapsed onto a few modes."
        ).format(covered=result["classes_covered_at_share"], limit=classes_min),
    )
    check(
        result["copies_flagged"] <= copies_max,
        _(
            "{share:.1%} of your generator's samples are near-copies of training images (the "
            "course allows {limit:.1%}): a generator should make new images, not reproduce its "
            "training set."
        ).format(share=result["copies_flagged"], limit=copies_max),
    )
