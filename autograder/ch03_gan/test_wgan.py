"""Hidden checks of wgan: Wasserstein losses, weight clipping, the n_critic step, the penalty.

Every check gets its values through a probe (probes_wgan.py) and judges them here, against
the reference's values or the mathematics: a linear critic's penalty is exactly
weight * (||w|| - 1)^2 whatever the epsilons, and a quadratic critic's gradient at each
interpolate is known, so the penalty can be recomputed from the points the critic was shown.
"""

import math

import numpy as np
import probes_wgan as probes
import pytest

from igcourse.grading.checks import assert_close, check, fail, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "wasserstein_losses": ["critic_loss", "wgan_generator_loss"],
    "weight_clipping": ["clip_critic_weights"],
    "wgan_train_step": ["make_wgan_train_step"],
    "gradient_penalty": ["gradient_penalty"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch03_gan", PART_NAMES, probes)


def _close(rtol=1e-4, atol=1e-6):
    def same(a, b):
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        try:
            return bool(np.allclose(np.asarray(a, float), np.asarray(b, float), rtol, atol))
        except (TypeError, ValueError):
            return False

    return same


def _named(mistakes, part, probe, *args, key=None, same=None):
    """explain= for a check: the zoo's mistakes whose probe gives the same value (or its key)."""

    def explain(observed):
        def run(ns):
            value = probe(ns, *args)
            return value[key] if key is not None else value

        return lambda: mistakes.explain(part, run, observed, same or _close())

    return explain


def _scalar(value):
    try:
        array = np.asarray(value, np.float64)
    except (TypeError, ValueError):
        return math.nan
    return float(array.reshape(())) if array.size == 1 else math.nan


# ---------------------------------------------------------------- wasserstein_losses
@pytest.mark.part("wasserstein_losses")
def test_wasserstein_losses_match_the_reference(submission, reference, mistakes):
    """Are the losses mean(fake) - mean(real) and -mean(fake), on raw scores of any size?"""
    rng = seeded_rng("wasserstein scores")
    real = (20 * rng.normal(size=(7, 1))).astype(np.float32)
    fake = (20 * rng.normal(size=(5, 1))).astype(np.float32)
    value = submission.probe("wasserstein_losses", probes.wasserstein, real, fake)
    expected = reference.probe("wasserstein_losses", probes.wasserstein, real, fake)
    explain = _named(mistakes, "wasserstein_losses", probes.wasserstein, real, fake, key=None)
    assert_close(
        value["critic"],
        expected["critic"],
        _(
            "critic_loss on scores of size about 20 (it should be mean(fake_scores) - "
            "mean(real_scores), on the raw scores)"
        ),
        1e-4,
        1e-4,
        explain=explain(value),
    )
    assert_close(
        value["generator"],
        expected["generator"],
        _("wgan_generator_loss on the same scores (it should be -mean(fake_scores))"),
        1e-4,
        1e-4,
        explain=explain(value),
    )


# ---------------------------------------------------------------- weight_clipping
@pytest.mark.part("weight_clipping")
def test_clipping_bounds_every_kernel(submission, mistakes):
    """Is every kernel clipped elementwise to [-c, c] (and left alone where already inside)?"""
    result = submission.probe("weight_clipping", probes.clipping, 0.3, 1)
    explain = _named(mistakes, "weight_clipping", probes.clipping, 0.3, 1)
    for before, after in zip(result["before"]["kernels"], result["after"]["kernels"], strict=True):
        assert_close(
            after,
            np.clip(before, -0.3, 0.3),
            _("A kernel of the critic after clip_critic_weights(critic, 0.3)"),
            1e-6,
            1e-7,
            explain=explain(result),
        )


@pytest.mark.part("weight_clipping")
def test_clipping_leaves_batch_norm_alone(submission, mistakes):
    """Are batch normalisation's statistics and parameters left as they were?"""
    result = submission.probe("weight_clipping", probes.clipping, 0.3, 2)
    explain = _named(mistakes, "weight_clipping", probes.clipping, 0.3, 2)
    for key, message in (
        (
            "batch_norm_statistics",
            _(
                "clip_critic_weights changed batch normalisation's moving mean or variance. They "
                "are statistics of the data, not weights (the book's code clips everything "
                "get_weights() returns, and they are among it): clip the layers' kernels only."
            ),
        ),
        (
            "batch_norm_parameters",
            _(
                "clip_critic_weights changed batch normalisation's scale (gamma) or offset "
                "(beta); clipping gamma to c shrinks every activation of the layer. Clip the "
                "layers' kernels only."
            ),
        ),
    ):
        same = all(
            np.array_equal(b, a)
            for b, a in zip(result["before"][key], result["after"][key], strict=True)
        )
        check(same, message, explain(result))


# ---------------------------------------------------------------- wgan_train_step
def _compare_step(submission, reference, mistakes, args, what):
    value = submission.probe("wgan_train_step", probes.wgan_step, *args)
    expected = reference.probe("wgan_train_step", probes.wgan_step, *args)
    explain = _named(mistakes, "wgan_train_step", probes.wgan_step, *args)
    for key, network in (("c_after", _("critic")), ("g_after", _("generator"))):
        for got, want in zip(value[key], expected[key], strict=True):
            assert_close(
                got,
                want,
                what.format(network=network),
                1e-4,
                1e-6,
                explain=explain(value),
            )
    return value, expected


@pytest.mark.part("wgan_train_step")
def test_n_critic_updates_then_one_generator_update(submission, reference, mistakes):
    """With n_critic=3 and no clipping, do both networks end where the reference's do?"""
    _compare_step(
        submission,
        reference,
        mistakes,
        (3, 3, None, 0.0),
        _(
            "The {network}'s variables after one training step with n_critic=3 and SGD (3 "
            "critic updates, one per batch of real_batches and critic_z, then one generator "
            "update with generator_z)"
        ),
    )


@pytest.mark.part("wgan_train_step")
def test_the_step_clips_after_each_critic_update(submission, reference, mistakes):
    """With clip_value=0.02, are the critic's kernels clipped and the generator left unclipped?"""
    value, _expected = _compare_step(
        submission,
        reference,
        mistakes,
        (4, 2, 0.02, 0.0),
        _(
            "The {network}'s variables after one training step with n_critic=2 and "
            "clip_value=0.02 (the critic's kernels clipped after each of its updates, the "
            "generator never)"
        ),
    )
    check(
        all(np.abs(v).max() <= 0.02 + 1e-7 for v in value["c_after"][::2]),
        _("After a step with clip_value=0.02 a kernel of the critic lies outside [-0.02, 0.02]."),
    )


@pytest.mark.part("wgan_train_step")
def test_each_update_changes_only_its_network(submission, mistakes):
    """With one optimiser's learning rate 0, does the other network's update leave it alone?"""
    frozen_g = submission.probe("wgan_train_step", probes.wgan_step, 5, 2, None, 0.0, 0.0, 0.05)
    frozen_c = submission.probe("wgan_train_step", probes.wgan_step, 5, 2, None, 0.0, 0.05, 0.0)
    check(
        all(
            np.array_equal(b, a)
            for b, a in zip(frozen_g["g_before"], frozen_g["g_after"], strict=True)
        ),
        _(
            "With the generator's optimiser at learning rate 0, the training step still changed "
            "the generator: the critic's updates must apply their gradients to "
            "critic.trainable_variables only."
        ),
        _named(mistakes, "wgan_train_step", probes.wgan_step, 5, 2, None, 0.0, 0.0, 0.05)(frozen_g),
    )
    check(
        all(
            np.array_equal(b, a)
            for b, a in zip(frozen_c["c_before"], frozen_c["c_after"], strict=True)
        ),
        _(
            "With the critic's optimiser at learning rate 0, the training step still changed the "
            "critic: the generator's update must apply its gradients to "
            "generator.trainable_variables only."
        ),
        _named(mistakes, "wgan_train_step", probes.wgan_step, 5, 2, None, 0.0, 0.05, 0.0)(frozen_c),
    )


@pytest.mark.part("wgan_train_step")
def test_the_step_adds_the_penalty_when_asked(submission, mistakes):
    """Does gp_weight > 0 change the critic's update (the penalty is part of its loss)?"""
    plain = submission.probe("wgan_train_step", probes.wgan_step, 6, 1, None, 0.0)
    penalised = submission.probe("wgan_train_step", probes.wgan_step, 6, 1, None, 10.0)
    differs = any(
        not np.allclose(a, b, atol=1e-7)
        for a, b in zip(plain["c_after"], penalised["c_after"], strict=True)
    )
    check(
        differs,
        _(
            "The critic's update is the same with gp_weight=10 as with gp_weight=0: add "
            "gradient_penalty(critic, real, fake, gp_weight) to the critic's loss inside its "
            "tape when gp_weight > 0."
        ),
        _named(mistakes, "wgan_train_step", probes.wgan_step, 6, 1, None, 10.0)(penalised),
    )
    check(
        all(np.isfinite(_scalar(v)) for v in penalised["losses"]),
        _("With gp_weight=10 the training step returned losses that are not finite numbers."),
    )


# ---------------------------------------------------------------- gradient_penalty
def _images(label, shape=(6, 4, 4, 1)):
    return seeded_rng(label).uniform(-1, 1, size=shape).astype(np.float32)


@pytest.mark.part("gradient_penalty")
def test_penalty_of_a_linear_critic_is_exact(submission, mistakes):
    """For f(x) = <w, x>, is the penalty weight * (||w|| - 1)^2, whatever the epsilons?"""
    w = (0.15 * seeded_rng("gp linear w").normal(size=(1, 4, 4, 1))).astype(np.float32)
    real, fake = _images("gp linear real"), _images("gp linear fake")
    args = ("linear", w, real, fake, 10.0)
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    norm = float(np.linalg.norm(w))
    expected = 10.0 * (norm - 1.0) ** 2
    check(
        math.isclose(_scalar(result["value"]), expected, rel_tol=1e-3),
        _(
            "For a linear critic f(x) = <w, x> with ||w|| = {norm:.4f}, every gradient is w, so "
            "gradient_penalty(..., weight=10) should be 10 * (||w|| - 1)^2 = {expected:.5f}; "
            "yours is {value:.5f}."
        ).format(norm=norm, expected=expected, value=_scalar(result["value"])),
        _named(mistakes, "gradient_penalty", probes.penalty_with_critic, *args, key="value")(
            result["value"]
        ),
    )


W_QUADRATIC = 0.7  # the quadratic critic f(x) = 0.5 * sum(W x^2): its gradient is W x


def _quadratic_args(label):
    real, fake = _images(f"{label} real"), _images(f"{label} fake")
    return ("quadratic", np.full((1, 4, 4, 1), W_QUADRATIC, np.float32), real, fake, 10.0)


def _interpolate_kind(result, real, fake):
    """What the critic was shown: 'per_sample', 'per_pixel', 'real', 'fake', 'calls:N', ..."""
    seen = [np.asarray(x, np.float64) for x in result["seen"]]
    if len(seen) != 1:
        return f"calls:{len(seen)}"
    points = seen[0]
    if points.shape != real.shape:
        return "shape"
    if np.allclose(points, real):
        return "real"
    if np.allclose(points, fake):
        return "fake"
    eps = (points - fake) / (real - fake)
    if not np.allclose(eps, eps.reshape(len(eps), -1)[:, :1, None, None], atol=1e-4):
        return "per_pixel"
    if eps.min() < -1e-4 or eps.max() > 1 + 1e-4 or np.ptp(eps[:, 0, 0, 0]) < 1e-3:
        return "range"
    return "per_sample"


def _penalty_kind(result):
    """Which formula the value follows at the points the critic saw (from the result alone)."""
    seen = [np.asarray(x, np.float64) for x in result["seen"]]
    if not seen:
        return "no_call", math.nan
    norms = np.sqrt(np.sum((W_QUADRATIC * seen[-1]) ** 2, axis=(1, 2, 3)))
    value = _scalar(result["value"])
    candidates = {
        "per_sample": 10.0 * float(np.mean((norms - 1.0) ** 2)),
        "whole_batch": 10.0 * (float(np.sqrt(np.sum(norms**2))) - 1.0) ** 2,
        "squared": 10.0 * float(np.mean((norms**2 - 1.0) ** 2)),
    }
    for kind, expected in candidates.items():
        if math.isclose(value, expected, rel_tol=1e-3):
            return kind, candidates["per_sample"]
    return "other", candidates["per_sample"]


@pytest.mark.part("gradient_penalty")
def test_interpolates_have_one_epsilon_per_sample(submission, mistakes):
    """Is the critic called once on eps_i * real_i + (1 - eps_i) * fake_i, eps_i in [0, 1]?"""
    args = _quadratic_args("gp epsilon")
    real, fake = args[2], args[3]
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    kind = _interpolate_kind(result, real, fake)
    if kind == "per_sample":
        return
    messages = {
        "real": _(
            "The critic was called on the real images themselves; the penalty belongs at random "
            "points between real and generated images: eps * real + (1 - eps) * fake."
        ),
        "fake": _(
            "The critic was called on the generated images themselves; the penalty belongs at "
            "random points between real and generated images: eps * real + (1 - eps) * fake."
        ),
        "per_pixel": _(
            "The interpolated images mix real and generated pixels with a different epsilon for "
            "each pixel; draw one epsilon per sample, of shape (batch, 1, 1, 1), so that each "
            "point lies on the segment between its two images."
        ),
        "range": _(
            "The interpolates are not eps * real + (1 - eps) * fake with a different eps per "
            "sample drawn uniformly in [0, 1]."
        ),
        "shape": _(
            "The critic was called on a batch of another shape than the images; call it on the "
            "interpolated images, shape (batch, 28, 28, 1) here (batch, 4, 4, 1)."
        ),
    }
    message = messages.get(kind) or _(
        "gradient_penalty called the critic {count} times (eagerly); call it once, on the "
        "interpolated images."
    ).format(count=kind.partition(":")[2])
    fail(
        message,
        lambda: mistakes.explain(
            "gradient_penalty",
            lambda ns: probes.penalty_with_critic(ns, *args),
            result,
            lambda a, b: _interpolate_kind(a, real, fake) == _interpolate_kind(b, real, fake),
        ),
    )


@pytest.mark.part("gradient_penalty")
def test_the_norm_is_taken_per_sample(submission, mistakes):
    """With gradient norms that differ per sample, is it weight * mean_i (||g_i|| - 1)^2?"""
    args = _quadratic_args("gp norms")
    result = submission.probe("gradient_penalty", probes.penalty_with_critic, *args)
    kind, expected = _penalty_kind(result)
    if kind == "per_sample":
        return
    if kind == "no_call":
        fail(_("gradient_penalty did not call the critic (eagerly) on a batch of interpolates."))
    details = {
        "whole_batch": _(
            " That is one norm over the whole batch (the book's bug: the gradient of a list of "
            "inputs comes back as a list, and summing over axes 1 to 4 then sums over the "
            "batch too)."
        ),
        "squared": _(" That is the penalty on the squared norm; use (||g|| - 1)^2."),
    }
    fail(
        _(
            "For a critic whose gradient norm differs from sample to sample, gradient_penalty "
            "returned {value:.5f}, but weight * mean_i (||g_i|| - 1)^2 at the points your critic "
            "was called on is {expected:.5f}.{detail}"
        ).format(value=_scalar(result["value"]), expected=expected, detail=details.get(kind, "")),
        lambda: mistakes.explain(
            "gradient_penalty",
            lambda ns: probes.penalty_with_critic(ns, *args),
            result,
            lambda a, b: _penalty_kind(a)[0] == _penalty_kind(b)[0],
        ),
    )


@pytest.mark.part("gradient_penalty")
def test_the_penalty_trains_the_critic(submission, mistakes):
    """Does the penalty's gradient reach the critic's weights (a gradient of a gradient)?"""
    kernel = (0.2 * seeded_rng("gp kernel").normal(size=(16, 1))).astype(np.float32)
    real, fake = _images("gp grad real"), _images("gp grad fake")
    args = (kernel, real, fake, 10.0)
    result = submission.probe("gradient_penalty", probes.penalty_kernel_gradient, *args)
    norm = float(np.linalg.norm(kernel))
    expected = 2 * 10.0 * (norm - 1.0) * kernel / norm  # d/dw of 10 (||w|| - 1)^2
    explain = _named(
        mistakes,
        "gradient_penalty",
        probes.penalty_kernel_gradient,
        *args,
        key="gradient",
        same=lambda a, b: (a is None and b is None) or _close(1e-3, 1e-5)(a, b),
    )
    if result["gradient"] is None:
        fail(
            _(
                "The penalty has no gradient with respect to the critic's weights, so it cannot "
                "train the critic: keep the inner gradient differentiable (no stop_gradient, no "
                "NumPy), computed with a tape inside the training step's tape."
            ),
            explain(None),
        )
    assert_close(
        result["gradient"],
        expected,
        _(
            "The gradient of the penalty with respect to a linear critic's kernel (it should be "
            "the derivative of weight * (||w|| - 1)^2)"
        ),
        1e-3,
        1e-5,
        explain=explain(result["gradient"]),
    )
