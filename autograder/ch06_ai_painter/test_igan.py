"""Hidden checks of iGAN: the masked constraint and the prior, one projection step, the inverse
encoder, the projection from the encoder's guess, and interpolation on the manifold.

Every check gets its values through a probe (probes_igan.py) and judges them against the
reference's values or the maths. Each part runs with the other parts' functions replaced by
correct stand-ins (probes_igan.STAND_INS). The generators and encoders are tiny ones the probes
build, with a batch normalisation whose moving statistics show if the generator runs in training
mode.
"""

from functools import partial

import numpy as np
import probes_igan as probes
import pytest
from judging import close as _close
from judging import explain as _explain
from judging import fail_if_raised as _fail_if_raised

from igcourse.grading.checks import assert_close, check, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

CHAPTER = "ch06_ai_painter"
PART_NAMES = {
    "constraint_losses": ["masked_colour_loss", "prior_loss"],
    "projection_step": ["make_projection_step"],
    "inverse_encoder": ["build_inverse_encoder", "make_encoder_step"],
    "projection": ["project"],
    "manifold_interpolation": ["slerp", "interpolate_on_manifold"],
}

test_public_checks = public_checks_test(CHAPTER, PART_NAMES, probes)


# ---------------------------------------------------------------- constraint_losses
CONSTRAINT_SEED = 3


@pytest.fixture(scope="module")
def constraints(submission, reference):
    value = submission.probe("constraint_losses", probes.constraint_values, CONSTRAINT_SEED)
    return value, reference.probe("constraint_losses", probes.constraint_values, CONSTRAINT_SEED)


def _constraint_explain(mistakes, value, key):
    return _explain(
        mistakes,
        "constraint_losses",
        lambda ns: probes.constraint_values(ns, CONSTRAINT_SEED),
        value,
        key,
    )


LOSS_CALL = _(
    "masked_colour_loss(images, targets, masks) on 4 images of 6 x 5, the last mask empty"
)


@pytest.mark.defining
@pytest.mark.part("constraint_losses")
def test_the_colour_loss_averages_over_the_drawn_pixels(submission, constraints, mistakes):
    """Per image, sum(mask * (image - target) ** 2) / max(sum(mask), 1); then the batch mean?"""
    value, expected = constraints
    explain = _constraint_explain(mistakes, value, "loss")
    _fail_if_raised(value["loss"], LOSS_CALL, explain)
    assert_close(
        value["loss"],
        expected["loss"],
        _(
            "{call} (for each image, the mean over the drawn pixels of (image - target) ** 2: "
            "sum(mask * (image - target) ** 2) / max(sum(mask), 1); then the mean over the "
            "batch)"
        ).format(call=LOSS_CALL),
        1e-4,
        1e-6,
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("constraint_losses")
def test_pixels_outside_the_strokes_never_count(submission, constraints, mistakes):
    """Other targets where nothing was drawn: the same loss, and no gradient there?"""
    value, _expected = constraints
    explain = _constraint_explain(mistakes, value, "elsewhere")
    for key in ("loss", "elsewhere", "gradient"):
        _fail_if_raised(value[key], LOSS_CALL, explain)
    loss, other = float(value["loss"]), float(value["elsewhere"])
    check(
        np.isfinite(loss) and np.isfinite(other),
        _(
            "{call} is {loss}, and {other} once the targets change where the masks are 0: a loss "
            "must be a finite number for every batch, one with an empty mask too."
        ).format(call=LOSS_CALL, loss=loss, other=other),
        explain,
    )
    check(
        abs(other - loss) <= 1e-6 * (1 + abs(loss)),
        _(
            "{call} is {loss:.6f}, and {other:.6f} once the targets change where the masks are "
            "0: only the pixels the user drew may count."
        ).format(call=LOSS_CALL, loss=loss, other=other),
        explain,
    )
    outside = np.abs(np.asarray(value["gradient"])[np.asarray(value["masks"]) == 0])
    check(
        outside.max() == 0.0,
        _(
            "The gradient of {call} with respect to the images is not 0 at pixels where the "
            "masks are 0 (up to {most:.2g}): an undrawn pixel must not pull the image."
        ).format(call=LOSS_CALL, most=float(outside.max())),
        _constraint_explain(mistakes, value, "gradient"),
    )


@pytest.mark.part("constraint_losses")
def test_an_empty_mask_costs_nothing(submission, constraints, mistakes):
    """An image with nothing drawn: loss 0, not NaN?"""
    value, _expected = constraints
    explain = _constraint_explain(mistakes, value, "empty")
    _fail_if_raised(value["empty"], LOSS_CALL, explain)
    got = float(value["empty"])
    if np.isfinite(got):
        why = _(
            "masked_colour_loss of an image whose mask is empty is {got}; with nothing drawn "
            "nothing constrains the image: 0 (no pixel of it counts, in the sum or in the count)."
        )
    else:
        why = _(
            "masked_colour_loss of an image whose mask is empty is {got}; with nothing drawn "
            "nothing constrains the image: 0 (divide by max(sum(mask), 1), never by 0)."
        )
    check(got == 0.0, why.format(got=got), explain)


@pytest.mark.defining
@pytest.mark.part("constraint_losses")
def test_the_prior_loss(submission, constraints, mistakes):
    """z (3, 7): the mean over the batch of 0.5 * sum(z ** 2)?"""
    value, _expected = constraints
    explain = _constraint_explain(mistakes, value, "prior")
    _fail_if_raised(value["prior"], _("prior_loss(z)"), explain)
    z = probes.normal(f"prior z {CONSTRAINT_SEED}", (3, 7), 1.5).astype(np.float64)
    assert_close(
        value["prior"],
        np.mean(0.5 * np.sum(z**2, axis=-1)),
        _(
            "prior_loss(z) for z of shape (3, 7) (the mean over the batch of 0.5 * the sum over "
            "z of z ** 2, the negative log-density of N(0, I) up to a constant)"
        ),
        1e-4,
        1e-6,
        explain,
    )


# ---------------------------------------------------------------- projection_step
STEP_SEED, PRIOR_WEIGHT, MORE_STEPS = 5, 0.5, 20


@pytest.fixture(scope="module")
def stepped(submission, reference):
    arguments = (STEP_SEED, PRIOR_WEIGHT, MORE_STEPS)
    value = submission.probe("projection_step", probes.projection_step_effects, *arguments)
    return value, reference.probe("projection_step", probes.projection_step_effects, *arguments)


def _step_explain(mistakes, value, key):
    return _explain(
        mistakes,
        "projection_step",
        lambda ns: probes.projection_step_effects(ns, STEP_SEED, PRIOR_WEIGHT, MORE_STEPS),
        value,
        key,
        _close(1e-3, 1e-5),
    )


STEP_CALL = _(
    "step(z, targets, masks) of make_projection_step(generator, SGD 0.1, prior_weight=0.5), z a "
    "tf.Variable (2, 6), a tiny generator with a batch normalisation"
)


@pytest.mark.defining
@pytest.mark.part("projection_step")
def test_one_step_moves_z_like_the_reference(submission, stepped, mistakes):
    """z after one step: z - 0.1 * the gradient of the masked colour loss of generator(z) plus
    0.5 * prior_loss(z)?"""
    value, expected = stepped
    explain = _step_explain(mistakes, value, "z")
    _fail_if_raised(value["returned"], STEP_CALL, explain)
    assert_close(
        value["z"],
        expected["z"],
        _(
            "z after one {call} (loss = masked_colour_loss(generator(z, training=False), "
            "targets, masks) + 0.5 * prior_loss(z); the optimizer applies its gradient to z)"
        ).format(call=STEP_CALL),
        1e-3,
        1e-5,
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("projection_step")
def test_the_generator_never_changes(submission, stepped, mistakes):
    """21 steps: the generator's weights and its batch normalisation's moving statistics as
    they were?"""
    value, _expected = stepped
    weights, statistics = value["generator_kept"]
    check(
        weights,
        _(
            "The generator's weights changed during projection ({call}, 21 steps): only z is "
            "optimised (apply the gradient to z alone)."
        ).format(call=STEP_CALL),
        _step_explain(mistakes, value, "generator_kept"),
    )
    check(
        statistics,
        _(
            "The generator's batch normalisation changed its moving statistics during "
            "projection ({call}, 21 steps): run the generator with training=False."
        ).format(call=STEP_CALL),
        _step_explain(mistakes, value, "generator_kept"),
    )


@pytest.mark.part("projection_step")
def test_the_step_returns_the_loss_before_the_update(submission, stepped, mistakes):
    """The loss of the z it was given?"""
    value, expected = stepped
    explain = _step_explain(mistakes, value, "returned")
    _fail_if_raised(value["returned"], STEP_CALL, explain)
    assert_close(
        value["returned"],
        expected["returned"],
        _("what {call} returns (the loss of the z it was given, before the update)").format(
            call=STEP_CALL
        ),
        1e-3,
        1e-5,
        explain,
    )


@pytest.mark.part("projection_step")
def test_steps_lower_the_loss(submission, stepped, mistakes):
    """20 more steps: the last loss below the first?"""
    value, _expected = stepped
    explain = _step_explain(mistakes, value, "losses")
    _fail_if_raised(value["returned"], STEP_CALL, explain)
    losses = value.get("losses")
    _fail_if_raised(losses, STEP_CALL, explain)
    check(
        losses[-1] < losses[0],
        _(
            "Over 20 more steps of {call} the loss went from {first:.4f} to {last:.4f}: "
            "gradient descent on z must lower it (apply the gradient of the loss, not minus "
            "it)."
        ).format(call=STEP_CALL, first=losses[0], last=losses[-1]),
        explain,
    )


@pytest.mark.part("projection_step")
def test_the_projection_step_is_a_tf_function(submission, stepped):
    value, _expected = stepped
    check(
        value["is_function"],
        _("make_projection_step must return a function decorated with @tf.function."),
    )


# ---------------------------------------------------------------- inverse_encoder
@pytest.mark.defining
@pytest.mark.part("inverse_encoder")
def test_the_inverse_encoder_follows_the_plan(submission, reference, mistakes):
    """With seeded weights, on 3 images: the reference's z?"""
    arguments = (7, 5, 3)
    value = submission.probe("inverse_encoder", probes.encoder_values, *arguments)
    expected = reference.probe("inverse_encoder", probes.encoder_values, *arguments)
    call = _("build_inverse_encoder(z_dim=5, filters=3) with seeded weights, on 3 images")
    explain = _explain(
        mistakes, "inverse_encoder", lambda ns: probes.encoder_values(ns, *arguments), value
    )
    _fail_if_raised(value, call, explain)
    assert_close(
        value,
        expected,
        _(
            "{call} (Conv2D(filters, 3, strides 2) -> LeakyReLU(0.2) -> Conv2D(2 * filters, 3, "
            "strides 2) -> LeakyReLU(0.2) -> Flatten -> Dense(z_dim))"
        ).format(call=call),
        1e-4,
        1e-4,
        explain,
    )


ENCODER_STEPS = 60


@pytest.fixture(scope="module")
def encoder_trained(submission):
    return submission.probe("inverse_encoder", probes.encoder_training, 9, ENCODER_STEPS)


ENCODER_CALL = _(
    "60 calls of make_encoder_step(encoder, generator, Adam(0.01), 16) on a tiny encoder and "
    "generator"
)


def _encoder_explain(mistakes, value, key):
    return _explain(
        mistakes,
        "inverse_encoder",
        lambda ns: probes.encoder_training(ns, 9, ENCODER_STEPS),
        value,
        key,
        _close(0.05, 1e-3),
    )


@pytest.mark.defining
@pytest.mark.part("inverse_encoder")
def test_the_encoder_learns_to_invert_the_generator(submission, encoder_trained, mistakes):
    """After 60 steps, does encoder(generator(z)) come closer to z (fresh codes, measured
    here)?"""
    value = encoder_trained
    explain = _encoder_explain(mistakes, value, "error")
    _fail_if_raised(value["losses"], ENCODER_CALL, explain)
    check(
        value["error"] < 0.8 * value["error_before"],
        _(
            "After {call}, mean((encoder(generator(z)) - z) ** 2) on 256 fresh codes went from "
            "{before:.3f} to {after:.3f}: each step draws z from N(0, I), decodes it with the "
            "generator (training=False) and updates the encoder alone to give z back."
        ).format(call=ENCODER_CALL, before=value["error_before"], after=value["error"]),
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("inverse_encoder")
def test_the_encoder_step_leaves_the_generator_alone(submission, encoder_trained, mistakes):
    """The generator's weights and moving statistics unchanged, the encoder's changed?"""
    value = encoder_trained
    _fail_if_raised(value["losses"], ENCODER_CALL)
    check(
        all(value["generator_kept"]) and value["encoder_changed"],
        _(
            "{call}: {what}. The step updates the encoder's variables alone and runs the "
            "generator with training=False."
        ).format(
            call=ENCODER_CALL,
            what=_("the encoder did not change")
            if not value["encoder_changed"]
            else _("the generator's weights changed")
            if not value["generator_kept"][0]
            else _("the generator's moving statistics changed (it ran with training=True)"),
        ),
        _encoder_explain(mistakes, value, "generator_kept"),
    )


@pytest.mark.part("inverse_encoder")
def test_the_encoder_step_is_a_tf_function(submission, encoder_trained):
    check(
        encoder_trained["is_function"],
        _("make_encoder_step must return a function decorated with @tf.function."),
    )


# ---------------------------------------------------------------- projection
PROJECT_ARGS = (11, 6, 0.05, 0.1)  # seed, steps, rate, prior weight


@pytest.fixture(scope="module")
def projected(submission, reference):
    value = submission.probe("projection", probes.projection_values, *PROJECT_ARGS)
    return value, reference.probe("projection", probes.projection_values, *PROJECT_ARGS)


PROJECT_CALL = _(
    "project(generator, encoder, targets, masks, steps=6, rate=0.05, prior_weight=0.1) on 3 "
    "targets, a tiny generator and encoder"
)


def _project_explain(mistakes, value, key):
    return _explain(
        mistakes,
        "projection",
        lambda ns: probes.projection_values(ns, *PROJECT_ARGS),
        value,
        key,
        _close(1e-3, 1e-5),
    )


@pytest.mark.defining
@pytest.mark.part("projection")
def test_the_projection_starts_at_the_encoders_guess(submission, projected, mistakes):
    """6 Adam steps from z = encoder(targets): the reference's z?"""
    value, expected = projected
    explain = _project_explain(mistakes, value, "z")
    _fail_if_raised(value, PROJECT_CALL, explain)
    assert_close(
        value["z"],
        expected["z"],
        _(
            "z from {call} (z starts at encoder(targets), then 6 projection steps with "
            "keras.optimizers.Adam(0.05))"
        ).format(call=PROJECT_CALL),
        1e-3,
        1e-5,
        explain,
    )


@pytest.mark.part("projection")
def test_the_projection_returns_every_step_loss(submission, projected, mistakes):
    """6 losses, the first the loss at the encoder's guess?"""
    value, _expected = projected
    explain = _project_explain(mistakes, value, "losses")
    _fail_if_raised(value, PROJECT_CALL, explain)
    losses = value["losses"]
    check(
        len(losses) == 6 and abs(losses[0] - value["start"]) <= 1e-3 * (1 + abs(value["start"])),
        _(
            "{call} returned {count} losses starting at {first}; the task asks for one per "
            "step, the first being the loss at the encoder's guess ({start:.5f})."
        ).format(
            call=PROJECT_CALL,
            count=len(losses),
            first=f"{losses[0]:.5f}" if losses else "-",
            start=value["start"],
        ),
        explain,
    )


# ---------------------------------------------------------------- manifold_interpolation
TS = (0.0, 0.3, 0.5, 0.8, 1.0)


def _codes(label, equal_norms):
    rng = seeded_rng(label)
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    if equal_norms:
        b *= np.linalg.norm(a, axis=1, keepdims=True) / np.linalg.norm(b, axis=1, keepdims=True)
    else:
        b *= np.array([[0.5], [2.0], [1.3]])
    return a.astype(np.float32), b.astype(np.float32)


def _slerp(submission, label, equal_norms):
    a, b = _codes(label, equal_norms)
    return a, b, submission.probe("manifold_interpolation", probes.slerp_values, a, b, TS)


def _slerp_explain(mistakes, a, b, value):
    return _explain(
        mistakes,
        "manifold_interpolation",
        lambda ns: probes.slerp_values(ns, a, b, TS),
        value,
        same=_close(1e-3, 1e-4),
    )


def _slerp_or_fail(value, explain):
    for got, t in zip(value, TS, strict=True):
        _fail_if_raised(got, _("slerp(z_a, z_b, {t})").format(t=t), explain)
    return [np.asarray(v, np.float64) for v in value]


@pytest.mark.defining
@pytest.mark.part("manifold_interpolation")
def test_slerp_starts_at_z_a_and_ends_at_z_b(submission, mistakes):
    """Codes (3, 5) of other norms: t = 0 gives z_a and t = 1 gives z_b?"""
    a, b, value = _slerp(submission, "slerp ends", False)
    explain = _slerp_explain(mistakes, a, b, value)
    got = _slerp_or_fail(value, explain)
    for result, want, t in ((got[0], a, 0), (got[-1], b, 1)):
        assert_close(
            result,
            want,
            _("slerp(z_a, z_b, {t}) for codes (3, 5) of other norms (z_a at 0, z_b at 1)").format(
                t=t
            ),
            1e-3,
            1e-4,
            explain,
        )


@pytest.mark.defining
@pytest.mark.part("manifold_interpolation")
def test_slerp_follows_the_great_circle(submission, mistakes):
    """Codes of equal norms: every point keeps that norm, at the angle t * omega from z_a?"""
    a, b, value = _slerp(submission, "slerp circle", True)
    explain = _slerp_explain(mistakes, a, b, value)
    got = _slerp_or_fail(value, explain)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    norm = np.linalg.norm(a64, axis=1)
    omega = np.arccos(np.clip(np.sum(a64 * b64, axis=1) / norm**2, -1, 1))
    for result, t in zip(got, TS, strict=True):
        check(
            result.shape == a.shape,
            _("slerp(z_a, z_b, {t}) has shape {got}, not (3, 5).").format(t=t, got=result.shape),
            explain,
        )
        norms = np.linalg.norm(result, axis=1)
        angle = np.arccos(np.clip(np.sum(result * a64, axis=1) / (norms * norm + 1e-12), -1, 1))
        check(
            np.allclose(norms, norm, rtol=1e-3) and np.allclose(angle, t * omega, atol=1e-3),
            _(
                "slerp(z_a, z_b, {t}) for codes of equal norms gives norms {got} (theirs: "
                "{want}) at angles {angles} from z_a; spherical interpolation keeps the norm and "
                "turns by t * omega = {turns} (omega the angle between the codes)."
            ).format(
                t=t,
                got=np.round(norms, 3).tolist(),
                want=np.round(norm, 3).tolist(),
                angles=np.round(angle, 3).tolist(),
                turns=np.round(t * omega, 3).tolist(),
            ),
            explain,
        )


@pytest.mark.part("manifold_interpolation")
def test_slerp_of_parallel_codes_is_linear(submission, mistakes):
    """z_b = 2 z_a, 64 rows (in float32 the cosine of some rounds above 1): (1 - t) z_a + t z_b,
    and no NaN?"""
    a = seeded_rng("slerp parallel").standard_normal((64, 5)).astype(np.float32)
    b = 2.0 * a
    value = submission.probe("manifold_interpolation", probes.slerp_values, a, b, TS)
    explain = _slerp_explain(mistakes, a, b, value)
    got = _slerp_or_fail(value, explain)
    for result, t in zip(got, TS, strict=True):
        assert_close(
            result,
            (1 - t) * a + t * b,
            _(
                "slerp(z_a, 2 * z_a, {t}) for 64 rows (parallel codes: the angle is 0 and sin(0) "
                "cannot divide, so fall back to linear interpolation; in float32 the cosine may "
                "round above 1, where arccos gives NaN unless it is clipped)"
            ).format(t=t),
            1e-3,
            1e-4,
            explain,
        )


@pytest.mark.defining
@pytest.mark.part("manifold_interpolation")
def test_interpolation_decodes_the_codes_between(submission, reference, mistakes):
    """5 steps on a tiny generator, codes of equal norms: G(z_a) first, G(z_b) last, and in
    between the reference's images of the slerped codes, not a blend of the two images?"""
    value = submission.probe("manifold_interpolation", probes.interpolation_values, 13, 5)
    expected = reference.probe("manifold_interpolation", probes.interpolation_values, 13, 5)

    def observe(ns):  # the images with slerp's codes: the same images from two mistakes
        found = probes.interpolation_values(ns, 13, 5)
        return [found["images"], found["codes"]]

    observed = [value["images"], value["codes"]]
    explain = partial(
        mistakes.explain, "manifold_interpolation", observe, observed, _close(1e-3, 1e-4)
    )
    call = _("interpolate_on_manifold(generator, z_a, z_b, 5) on a tiny generator")
    _fail_if_raised(value["images"], call, explain)
    images, ends = np.asarray(value["images"]), np.asarray(value["ends"])
    check(
        images.shape == (5, 28, 28, 1),
        _("{call} gives images of shape {got}, not (5, 28, 28, 1).").format(
            call=call, got=images.shape
        ),
        explain,
    )
    assert_close(
        images[[0, -1]],
        ends,
        _("the first and last images of {call} (generator(z_a) and generator(z_b))").format(
            call=call
        ),
        1e-3,
        1e-4,
        explain,
    )
    blend = 0.5 * (ends[0] + ends[1])
    check(
        np.abs(images[2] - blend).max() > 1e-3,
        _(
            "The middle image of {call} is the average of the two end images: interpolation on "
            "the manifold decodes the codes in between (generator(slerp(z_a, z_b, t))), it does "
            "not blend pixels."
        ).format(call=call),
        explain,
    )
    assert_close(
        images,
        expected["images"],
        _(
            "{call} for codes of equal norms (generator(slerp(z_a, z_b, t)) for t = 0, 0.25, "
            "0.5, 0.75, 1: the codes follow the great circle, not the straight line between "
            "them)"
        ).format(call=call),
        1e-3,
        1e-4,
        explain,
    )
