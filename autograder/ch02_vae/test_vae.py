"""Hidden checks of vae: the sampling layer, the KL term, the networks, the loss, the training
step, generation, and the model the notebook trained and handed in.

Every check gets its values through a probe (probes_vae.py) and judges them here, against the
maths or against the reference run through the same probe. A part that builds on another is
checked with the stand-ins that probes_vae.STAND_INS lists (a sampler with a counted shift, a
loss that is not the task's), so that one mistake costs one part. Inputs come from
seeded_rng, so they change with the grading salt; every check holds for any of them.
"""

import hashlib
import math
import re
from functools import partial

import numpy as np
import probes_vae as probes
import pytest

from igcourse.checks import rounded
from igcourse.grading import architecture
from igcourse.grading.checks import assert_close, assert_shape, check, fail, first_of, seeded_rng
from igcourse.grading.gradients import constant_part_note
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "sampling_layer": ["GaussianSampling"],
    "kl_divergence": ["kl_divergence"],
    "vae_networks": ["build_encoder", "build_decoder"],
    "vae_loss": ["vae_loss"],
    "train_step": ["make_train_step"],
    "generation": ["sample_prior", "interpolate"],
    "trained_vae": [],  # handed in: graded from the files beside the notebook
}

# Every public check of a part counts in its hidden grade too (the handed-in model's reads the
# files in the notebook's folder, as in the student's kernel).
test_public_checks = public_checks_test("ch02_vae", PART_NAMES, probes)


def _close(rtol=1e-4, atol=1e-5):
    """A comparison for mistakes.explain: equal structure, numbers within the tolerance."""

    def same(a, b):
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
            return a == b
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol, atol))

    return same


def _as_part(ns, part):
    """A zoo mutant's code as the check's probe sees it: with the part's stand-ins."""
    return ns.for_part(part, probes) if hasattr(ns, "for_part") else ns


def _seed(label):
    """A layer or sampling seed drawn with the grading salt."""
    return int(seeded_rng(label).integers(1, 2**20))


# ---------------------------------------------------------------- sampling_layer
_N_DRAWS = 40_000


def _draw_inputs():
    """(40000, 4) rows of one mean and one log-variance: two variances well below 1 and two
    well above, so that every mistake about the scale shows in some column."""
    rng = seeded_rng("draw inputs")
    row_mean = rng.uniform(-3.0, 3.0, size=4)
    row_logvar = rng.permutation(
        np.concatenate([rng.uniform(-2.5, -1.0, size=2), rng.uniform(0.8, 1.6, size=2)])
    )
    mean = np.tile(row_mean.astype(np.float32), (_N_DRAWS, 1))
    logvar = np.tile(row_logvar.astype(np.float32), (_N_DRAWS, 1))
    return mean, logvar


def _standardised_moments(ns):
    mean, logvar = _draw_inputs()
    z = probes.sampling_draws(ns, mean, logvar, _seed("draw seed"), calls=1)[0]
    eps = (np.asarray(z, np.float64) - mean) / np.exp(0.5 * logvar)
    return [eps.mean(axis=0).round(2), eps.std(axis=0).round(2)]


def _moments_and_fresh_noise(ns):
    return [*_standardised_moments(ns), *_fresh_noise(ns)]


@pytest.mark.part("sampling_layer")
def test_draws_follow_the_gaussian(submission, mistakes):
    """Are the draws N(mean, exp(logvar)), column by column?"""
    mean, logvar = _draw_inputs()
    z = submission.probe(
        "sampling_layer", probes.sampling_draws, mean, logvar, _seed("draw seed"), 1
    )[0]
    assert_shape(z, mean.shape, _("GaussianSampling()((mean, logvar)) for inputs (40000, 4)"))
    eps = (np.asarray(z, np.float64) - mean) / np.exp(0.5 * logvar)
    # 40,000 draws: the standard error of a mean is 0.005 and of a standard deviation 0.0035,
    # so these bounds (8 and 10 standard errors) hold for any seed, yet catch every mistake.
    got_mean, got_std = eps.mean(axis=0), eps.std(axis=0)

    def explain():
        # On failure only. The zoo compares the moments and how the noise repeats (over calls,
        # over rows): noise drawn once in build and noise of one row's shape have equal moments.
        fresh = _fresh_noise_facts(*_fresh_draws(partial(submission.probe, "sampling_layer")))
        observed = [got_mean.round(2), got_std.round(2), *fresh]
        return mistakes.explain(
            "sampling_layer", _moments_and_fresh_noise, observed, _close(0, 0.011)
        )

    if not (np.all(np.abs(got_mean) < 0.04) and np.all(np.abs(got_std - 1) < 0.035)):
        fail(
            _(
                "For mean {mean} and log-variance {logvar}, your draws have mean {got_mean} and "
                "standard deviation {got_std}; expected standard deviation {std} "
                "(exp(0.5 * logvar)). z must be mean + exp(0.5 * logvar) * epsilon with epsilon "
                "drawn from a standard normal.{hint}"
            ).format(
                hint=_truncated_hint(eps, got_std),
                mean=rounded(mean[0], 3),
                logvar=rounded(logvar[0], 3),
                got_mean=rounded(z.mean(axis=0), 3),
                got_std=rounded(z.std(axis=0), 3),
                std=rounded(np.exp(0.5 * logvar[0].astype(np.float64)), 3),
            ),
            explain,
        )
    correlation = np.corrcoef(eps, rowvar=False) - np.eye(4)
    check(
        np.max(np.abs(correlation)) < 0.05,
        _(
            "The noise of different latent dimensions is correlated (largest correlation "
            "{corr:.2f}): draw one independent standard normal number per entry of mean."
        ).format(corr=float(np.max(np.abs(correlation)))),
    )


# A standard normal cut at two standard deviations (truncated_normal) has standard deviation
# 0.880; 40,000 true normal draws put about 1,800 beyond 2.
_TRUNCATED_STD = 0.880


def _truncated_hint(eps, std):
    """The sentence when the noise never passes 2 and has a truncated normal's spread, or ""."""
    if np.max(np.abs(eps)) > 2.0 + 1e-3 or not np.all(np.abs(std - _TRUNCATED_STD) < 0.02):
        return ""
    return _(
        " None of your noise values is beyond 2 standard deviations, and their standard "
        "deviation is about 0.88: that is a truncated normal (truncated_normal cuts its draws at "
        "2), not a standard normal. Draw epsilon with keras.random.normal."
    )


def _fresh_noise_facts(first, second):
    """[two calls alike, every row alike, any noise at all] of two calls' draws."""
    return [
        bool(np.allclose(first, second)),
        bool(np.allclose(first, first[:1])),
        float(np.std(first)) > 0,
    ]


def _fresh_draws(probe):
    """Two calls of one layer on zeros: probe(fn, *args) runs the probe on some code."""
    zeros = np.zeros((6, 3), np.float32)
    return probe(probes.sampling_draws, zeros, zeros, _seed("fresh seed"), 2)


def _fresh_noise(ns):
    return _fresh_noise_facts(*_fresh_draws(lambda fn, *args: fn(ns, *args)))


@pytest.mark.part("sampling_layer")
def test_new_noise_on_every_call_and_row(submission, mistakes):
    """Does each call, and each row of a batch, get new noise?"""
    first, second = _fresh_draws(partial(submission.probe, "sampling_layer"))
    observed = _fresh_noise_facts(first, second)
    explain = partial(mistakes.explain, "sampling_layer", _fresh_noise, observed, _close())
    check(
        observed[2],
        _(
            "With mean 0 and logvar 0 your layer returns {z}: there is no noise. Draw epsilon "
            "with keras.random.normal in call() and return mean + exp(0.5 * logvar) * epsilon."
        ).format(z=rounded(first[0], 3)),
        explain,
    )
    check(
        not observed[0],
        _(
            "Two calls of the same GaussianSampling layer returned the same z, so training would "
            "see the same noise in every step. Each call must draw new noise, passing "
            "seed=self.seed_generator to keras.random.normal (a SeedGenerator gives new numbers "
            "on every call; noise drawn once in __init__ or build, or a fixed integer seed, "
            "repeats them)."
        ),
        explain,
    )
    check(
        not observed[1],
        _(
            "Every row of the batch got the same noise. Draw noise of the full shape of mean, "
            "keras.ops.shape(mean), so that each image gets its own epsilon."
        ),
        explain,
    )


@pytest.mark.part("sampling_layer")
def test_new_noise_on_every_call_of_a_tf_function(submission, mistakes):
    """Called twice through one tf.function (as in the training step), does the layer draw new
    noise each call, not noise frozen when the function was traced?"""
    zeros = np.zeros((6, 3), np.float32)
    args = (zeros, zeros, _seed("traced seed"))
    first, second = submission.probe("sampling_layer", probes.sampling_traced_draws, *args)
    if not np.allclose(first, second):
        return
    eager = _fresh_noise_facts(*_fresh_draws(partial(submission.probe, "sampling_layer")))
    if eager[0] or not eager[2]:  # alike outside a tf.function too: the cause is not tracing
        fail(
            _(
                "Two calls of one GaussianSampling layer through one tf.function (as the "
                "training step calls it) returned the same z: each call must draw new noise."
            )
        )
    fail(
        _(
            "Two calls of one GaussianSampling layer through one tf.function (as the training "
            "step calls it) returned the same z, although direct calls differ: the noise was "
            "drawn when TensorFlow traced the function (NumPy's random functions run only "
            "then), so every training step would reuse it. Draw epsilon with "
            "keras.random.normal(..., seed=self.seed_generator)."
        ),
        # With the direct calls' facts: a layer without noise is alike when traced too.
        lambda: mistakes.explain(
            "sampling_layer",
            lambda ns: [
                bool(np.allclose(*probes.sampling_traced_draws(ns, *args))),
                _fresh_noise(ns),
            ],
            [True, eager],
            _close(),
        ),
    )


def _reproducible(ns):
    mean, logvar = np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32)
    a, b = probes.sampling_first_draws(ns, mean, logvar, _seed("reproducible seed"))
    return bool(np.allclose(a, b))


@pytest.mark.property
@pytest.mark.part("sampling_layer")
def test_the_seed_makes_draws_reproducible(submission, mistakes):
    """Do two layers made with the same seed draw the same noise first?"""
    mean, logvar = np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32)
    seed = _seed("reproducible seed")
    a, b = submission.probe("sampling_layer", probes.sampling_first_draws, mean, logvar, seed)
    same = bool(np.allclose(a, b))
    check(
        same,
        _(
            "Two GaussianSampling layers made with seed={seed} gave different first draws, so "
            "runs cannot be repeated. Create keras.random.SeedGenerator(seed) in __init__ and "
            "pass it as seed= to keras.random.normal."
        ).format(seed=seed),
        lambda: mistakes.explain("sampling_layer", _reproducible, same, lambda x, y: x == y),
    )


def _gradient_inputs():
    rng = seeded_rng("gradient inputs")
    return rng.normal(0, 1.2, size=(2, 3)), rng.uniform(-1.5, 1.5, size=(2, 3))


def _gradient_summary(ns):
    mean, logvar = _gradient_inputs()
    out = probes.sampling_gradients(ns, mean, logvar, _seed("gradient seed"))
    return _diagonals(out)


def _diagonals(out):
    """dz_i/dmean_i and dz_i/dlogvar_i (N, D) from the full Jacobians, or None."""
    shape = (2, 3)
    result = []
    for key in ("d_mean", "d_logvar"):
        jac = out[key]
        if jac is None:
            result.append(None)
            continue
        flat = np.asarray(jac).reshape(np.prod(shape), np.prod(shape))
        result.append(np.diag(flat).reshape(shape).round(4))
    return result


@pytest.mark.part("sampling_layer")
def test_gradients_of_the_reparameterisation(submission, mistakes):
    """In float64: dz/dmean = 1 and dz/dlogvar = sigma * eps / 2, and autodiff agrees with
    finite differences (so no gradient is cut or wrong)."""
    mean, logvar = _gradient_inputs()
    out = submission.probe(
        "sampling_layer", probes.sampling_gradients, mean, logvar, _seed("gradient seed")
    )
    z = np.asarray(out["z"], np.float64)
    eps = (z - mean) / np.exp(0.5 * logvar)
    explain = partial(
        mistakes.explain, "sampling_layer", _gradient_summary, _diagonals(out), _close(1e-3, 1e-4)
    )
    size = mean.size
    for key, name in (("d_mean", "mean"), ("d_logvar", "logvar")):
        if out[key] is None:
            fail(
                _(
                    "No gradient flows from z back to {name}: compute z from mean and logvar with "
                    "Keras or TensorFlow operations (no NumPy, no stop_gradient)."
                ).format(name=name),
                explain,
            )
    d_mean = np.asarray(out["d_mean"]).reshape(size, size)
    d_logvar = np.asarray(out["d_logvar"]).reshape(size, size)
    assert_close(
        d_mean,
        np.eye(size),
        _("The Jacobian dz/dmean of your layer (it should be the identity: dz_i/dmean_i = 1)"),
        1e-6,
        1e-6,
        explain,
    )
    expected = np.diag((0.5 * np.exp(0.5 * logvar) * eps).ravel())
    assert_close(
        d_logvar,
        expected,
        _(
            "The Jacobian dz/dlogvar of your layer (it should be diagonal with "
            "dz_i/dlogvar_i = 0.5 * exp(0.5 * logvar_i) * epsilon_i)"
        ),
        1e-5,
        1e-6,
        explain,
    )
    gap = max(
        float(np.max(np.abs(np.asarray(t) - np.asarray(n)), initial=0.0))
        for t, n in zip(out["theoretical"], out["numerical"], strict=True)
    )
    # A z of lower precision than the float64 layer makes the finite differences rough: say
    # so, rather than blame differentiability.
    rounded = out["z_dtype"] != "float64"
    check(
        gap < 1e-5,
        _(
            "With the noise held fixed, the gradients of your layer differ from finite "
            "differences by {gap:.2g} in float64."
        ).format(gap=gap)
        + " "
        + (
            _(
                "Your GaussianSampling(dtype='float64') returns z in {dtype}, so the finite "
                "differences see its round-off: compute z in the layer's compute dtype."
            ).format(dtype=out["z_dtype"])
            if rounded
            else _(
                "Compute z with keras.ops (or TensorFlow) at every step, in the layer's dtype, "
                "so that its gradient is the formula's."
            )
        ),
        explain,
    )


def _same_dtype_draws(a, b):
    return all(
        x.get("dtype") == y.get("dtype") and x.get("error") == y.get("error")
        for x, y in ((a[k], b[k]) for k in a)
    )


@pytest.mark.part("sampling_layer")
def test_z_comes_in_the_layers_compute_dtype(submission, mistakes):
    """Under mixed precision (compute dtype float16) and in float64, is z standard normal noise
    (mean 0, logvar 0) in that dtype?"""
    mean, logvar = np.zeros((2000, 3), np.float32), np.zeros((2000, 3), np.float32)
    out = submission.probe("sampling_layer", probes.sampling_dtypes, mean, logvar, 7)

    def explain():
        return mistakes.explain(
            "sampling_layer",
            lambda ns: probes.sampling_dtypes(ns, mean, logvar, 7),
            out,
            _same_dtype_draws,
        )

    for policy, wanted in (("mixed_float16", "float16"), ("float64", "float64")):
        got = out[policy]
        mixed = "expected to be a" in got.get("error", "")  # TensorFlow met two dtypes
        check(
            got.get("dtype") == wanted,
            _(
                "GaussianSampling(dtype={policy!r}) has compute dtype {wanted}; on float32 "
                "inputs your layer gives {got}, and the task asks for z in the layer's compute "
                "dtype."
            ).format(policy=policy, wanted=wanted, got=got.get("dtype") or got.get("error"))
            + (
                " "
                + _(
                    "Keras hands call() the inputs in {wanted} already, so a tensor of another "
                    "dtype met them there: draw epsilon (and make any constant) in "
                    "self.compute_dtype."
                ).format(wanted=wanted)
                if mixed
                else ""
            ),
            explain,
        )
        # 6000 draws: the standard error of the std is about 0.01
        check(
            abs(got["mean"]) < 0.1 and abs(got["std"] - 1.0) < 0.1,
            _(
                "GaussianSampling(dtype={policy!r}) with mean 0 and logvar 0 should give "
                "standard normal z; yours has mean {mean:.3f} and standard deviation {std:.3f}."
            ).format(policy=policy, mean=got["mean"], std=got["std"]),
        )


# ---------------------------------------------------------------- kl_divergence
def _kl_rows(mean, logvar):
    mean, logvar = np.asarray(mean, np.float64), np.asarray(logvar, np.float64)
    return -0.5 * np.sum(1 + logvar - mean**2 - np.exp(logvar), axis=-1)


def _kl_reference(mean, logvar):
    return float(np.mean(_kl_rows(mean, logvar)))


def _kl_inputs(label, shape=(7, 5)):
    rng = seeded_rng(label)
    mean = rng.normal(0, 1.2, size=shape).astype(np.float32)
    logvar = rng.normal(0, 0.8, size=shape).astype(np.float32)
    return mean, logvar


def _kl_hint(got, mean, logvar):
    """A sentence naming what the value looks like, or ""."""
    expected = _kl_reference(mean, logvar)
    batch, dims = mean.shape
    candidates = {
        _("you averaged over the latent dimensions instead of summing over them"): expected / dims,
        _("you summed over the images of the batch instead of averaging"): expected * batch,
        _("the sign is wrong"): -expected,
        _("the 1 inside the sum is missing"): expected + 0.5 * dims,
        _("you treated logvar as log(sigma), using exp(2 * logvar) for the variance"): float(
            np.mean(-0.5 * np.sum(1 + 2 * logvar - mean**2 - np.exp(2 * logvar), axis=-1))
        ),
    }
    for hint, value in candidates.items():
        if np.ndim(got) == 0 and math.isclose(float(got), value, rel_tol=1e-4):
            return " " + _("(It looks like {hint}.)").format(hint=hint)
    return ""


def _kl(submission, mistakes, mean, logvar):
    """kl_divergence(mean, logvar) as a float; a check failure when it is not one number."""
    got = np.asarray(submission.probe("kl_divergence", probes.kl_value, mean, logvar))
    if got.shape == ():
        return float(got)
    hint = ""
    if got.shape == (len(mean),) and np.allclose(got, _kl_rows(mean, logvar), 1e-4, 1e-5):
        hint = " " + _(
            "These are the KLs of each image: average them over the images (the first axis)."
        )
    fail(
        _(
            "kl_divergence(mean, logvar) for inputs of shape {shape} should return one number "
            "(a scalar: summed over the latent dimensions, averaged over the images), but "
            "returns an array of shape {got}.{hint}"
        ).format(shape=mean.shape, got=got.shape, hint=hint),
        lambda: mistakes.explain(
            "kl_divergence",
            partial(probes.kl_value, mean=mean, logvar=logvar),
            got,
            _close(),
        ),
    )


@pytest.mark.part("kl_divergence")
def test_kl_equals_the_closed_form(submission, mistakes):
    """Does kl_divergence equal the closed form, summed over dimensions and averaged over images?"""
    for label, shape in (("kl a", (7, 5)), ("kl b", (3, 12)), ("kl c", (1, 2))):
        mean, logvar = _kl_inputs(label, shape)
        got = _kl(submission, mistakes, mean, logvar)
        assert_close(
            got,
            _kl_reference(mean, logvar),
            _(
                "kl_divergence(mean, logvar) on random inputs of shape {shape} (-0.5 * the sum "
                "over latent dimensions of 1 + logvar - mean^2 - exp(logvar), averaged over the "
                "images){hint}"
            ).format(shape=shape, hint=_kl_hint(got, mean, logvar)),
            1e-4,
            1e-5,
            partial(
                mistakes.explain,
                "kl_divergence",
                partial(probes.kl_value, mean=mean, logvar=logvar),
                got,
                _close(),
            ),
        )


@pytest.mark.property
@pytest.mark.part("kl_divergence")
def test_kl_is_zero_at_the_prior(submission, mistakes):
    """Is the KL of N(0, I) to the prior zero?"""
    zeros = np.zeros((4, 6), np.float32)
    got = _kl(submission, mistakes, zeros, zeros)
    check(
        abs(got) < 1e-6,
        _(
            "kl_divergence of mean 0 and logvar 0 (the prior itself) should be 0, but yours is "
            "{got:.4g}. Check the terms: -0.5 * sum(1 + logvar - mean^2 - exp(logvar))."
        ).format(got=got),
        lambda: mistakes.explain(
            "kl_divergence", partial(probes.kl_value, mean=zeros, logvar=zeros), got, _close()
        ),
    )


@pytest.mark.part("kl_divergence")
def test_kl_matches_a_monte_carlo_estimate(submission, mistakes):
    """Does kl_divergence agree with E_q[log q(z) - log p(z)] estimated from 400,000 draws?"""
    mean, logvar = _kl_inputs("kl monte carlo", (2, 3))
    got = _kl(submission, mistakes, mean, logvar)
    rng = seeded_rng("kl monte carlo draws")
    estimates = []
    for m, lv in zip(mean.astype(np.float64), logvar.astype(np.float64), strict=True):
        z = m + np.exp(0.5 * lv) * rng.normal(size=(400_000, len(m)))
        log_q = -0.5 * (((z - m) ** 2) / np.exp(lv) + lv).sum(axis=1)
        log_p = -0.5 * (z**2).sum(axis=1)
        estimates.append(np.mean(log_q - log_p))
    estimate = float(np.mean(estimates))
    # The estimate's standard error is below 0.01 for these inputs; 0.05 cannot flake.
    check(
        abs(got - estimate) < 0.05 + 0.01 * abs(estimate),
        _(
            "For mean {mean} and logvar {logvar}, your kl_divergence is {got:.4f}, but a Monte "
            "Carlo estimate of E_q[log q(z) - log p(z)] gives {estimate:.4f}.{hint}"
        ).format(
            mean=rounded(mean, 2),
            logvar=rounded(logvar, 2),
            got=got,
            estimate=estimate,
            hint=_kl_hint(got, mean, logvar),
        ),
        lambda: mistakes.explain(
            "kl_divergence", partial(probes.kl_value, mean=mean, logvar=logvar), got, _close()
        ),
    )


@pytest.mark.part("kl_divergence")
def test_kl_reduces_over_the_right_axes(submission, mistakes):
    """Does adding latent dimensions add KL, and does repeating the batch leave it unchanged?"""
    mean, logvar = _kl_inputs("kl axes", (3, 4))
    base = _kl(submission, mistakes, mean, logvar)
    wide = _kl(submission, mistakes, np.tile(mean, (1, 2)), np.tile(logvar, (1, 2)))
    tall = _kl(submission, mistakes, np.tile(mean, (2, 1)), np.tile(logvar, (2, 1)))
    observed = [round(wide / base, 3), round(tall / base, 3)] if base else [None, None]

    def ratios(ns):
        b = float(probes.kl_value(ns, mean, logvar))
        w = float(probes.kl_value(ns, np.tile(mean, (1, 2)), np.tile(logvar, (1, 2))))
        t = float(probes.kl_value(ns, np.tile(mean, (2, 1)), np.tile(logvar, (2, 1))))
        return [round(w / b, 3), round(t / b, 3)] if b else [None, None]

    explain = partial(mistakes.explain, "kl_divergence", ratios, observed, _close(1e-3, 1e-3))
    check(
        base > 0,
        _(
            "For mean and logvar away from the prior your kl_divergence is {base:.4g}; a KL "
            "divergence between two different Gaussians is positive."
        ).format(base=base),
        # The value itself: the ratios that the other two checks compare fit every mistake
        # that reduces over the right axes.
        partial(
            mistakes.explain,
            "kl_divergence",
            lambda ns: float(probes.kl_value(ns, mean, logvar)),
            base,
            _close(1e-3, 1e-3),
        ),
    )
    check(
        math.isclose(wide, 2 * base, rel_tol=1e-4),
        _(
            "Repeating every latent dimension twice should double the KL (independent dimensions "
            "add up), but yours went from {base:.4f} to {wide:.4f}. Sum over the last axis (the "
            "latent dimensions); do not average over it."
        ).format(base=base, wide=wide),
        explain,
    )
    check(
        math.isclose(tall, base, rel_tol=1e-4),
        _(
            "Repeating the batch twice should leave the KL unchanged (it is a mean over images), "
            "but yours went from {base:.4f} to {tall:.4f}. Average over the first axis (the "
            "images)."
        ).format(base=base, tall=tall),
        explain,
    )


def _kl_gradient_summary(out):
    """What a kl_gradients probe result shows, for naming a mistake: rounded gradients (None
    where none flows) and the graph-mode value, or the errors' type names."""
    summary = {}
    for key in ("d_mean", "d_logvar", "graph_value"):
        value = out[key]
        summary[key] = None if value is None else np.round(np.asarray(value, np.float64), 4)
    summary["gradient_error"] = out["gradient_error"]
    summary["graph_error"] = out["graph_error"]
    return summary


@pytest.mark.part("kl_divergence")
def test_kl_is_finite_for_a_very_certain_encoder(submission, mistakes):
    """Is the KL right where exp(logvar) underflows to 0 in float32 (logvar about -110 to
    -130, an encoder very sure of its codes), where the true KL is large but finite?"""
    rng = seeded_rng("kl certain")
    mean = rng.normal(0, 1.0, size=(3, 4)).astype(np.float32)
    logvar = rng.uniform(-130.0, -110.0, size=(3, 4)).astype(np.float32)
    got = _kl(submission, mistakes, mean, logvar)
    assert_close(
        got,
        _kl_reference(mean, logvar),
        _(
            "kl_divergence for logvar of -110 to -130 (an encoder very sure of its codes; "
            "exp(logvar) is 0 in float32 there, while the KL itself is finite)"
        ),
        1e-4,
        1e-3,
        partial(
            mistakes.explain,
            "kl_divergence",
            partial(probes.kl_value, mean=mean, logvar=logvar),
            got,
            _close(),
        ),
    )


@pytest.mark.part("kl_divergence")
def test_kl_is_differentiable_and_works_in_a_tf_function(submission, mistakes):
    """Do gradients of kl_divergence reach mean and logvar under a tf.GradientTape, equal to
    the closed form's (mean / B and (exp(logvar) - 1) / (2B)), and does it run inside a
    tf.function, where the training step calls it?"""
    mean, logvar = _kl_inputs("kl gradients", (4, 3))
    out = submission.probe("kl_divergence", probes.kl_gradients, mean, logvar)
    explain = partial(
        mistakes.explain,
        "kl_divergence",
        lambda ns: _kl_gradient_summary(probes.kl_gradients(ns, mean, logvar)),
        _kl_gradient_summary(out),
        _close(1e-3, 1e-4),
    )
    missing = [name for name in ("mean", "logvar") if out[f"d_{name}"] is None]
    check(
        not missing,
        _(
            "Under a tf.GradientTape, no gradient of your kl_divergence reaches {names}{error}: "
            "the loss could not train the encoder. NumPy functions (np.exp, np.sum, np.mean...) "
            "turn tensors into arrays, which the tape cannot follow: write the KL with keras.ops "
            "(or TensorFlow) operations only."
        ).format(
            names=", ".join(missing),
            error=(
                _(" (tape.gradient raised {error})").format(error=out["gradient_error"])
                if out["gradient_error"]
                else ""
            ),
        ),
        explain,
    )
    batch = len(mean)
    m, lv = mean.astype(np.float64), logvar.astype(np.float64)
    explain = first_of(
        explain, lambda: constant_part_note(out.get("value"), _kl_reference(mean, logvar))
    )
    assert_close(
        out["d_mean"],
        m / batch,
        _("The gradient of kl_divergence with respect to mean (the closed form's is mean / B)"),
        1e-4,
        1e-6,
        explain,
    )
    assert_close(
        out["d_logvar"],
        (np.exp(lv) - 1.0) / (2 * batch),
        _(
            "The gradient of kl_divergence with respect to logvar (the closed form's is "
            "(exp(logvar) - 1) / (2 * B))"
        ),
        1e-4,
        1e-6,
        explain,
    )
    check(
        out["graph_error"] is None,
        _(
            "Inside a tf.function (where the training step calls it, on symbolic tensors) your "
            "kl_divergence raises {error}. Use keras.ops (or TensorFlow) operations, not NumPy "
            "functions, which need concrete values."
        ).format(error=out["graph_error"]),
        explain,
    )
    assert_close(
        out["graph_value"],
        _kl_reference(mean, logvar),
        _("kl_divergence computed inside a tf.function"),
        1e-4,
        1e-5,
        explain,
    )


# ---------------------------------------------------------------- vae_networks
def _network_inputs(latent_dim):
    rng = seeded_rng("networks inputs")
    images = rng.random((3, 28, 28, 1)).astype(np.float32)
    codes = rng.normal(0, 4.0, size=(3, latent_dim)).astype(np.float32)
    return images, codes


def _network_summary(ns, latent_dim, filters):
    images, codes = _network_inputs(latent_dim)
    out = probes.networks(ns, latent_dim, filters, images, codes)
    return _summarise_networks(out)


def _same_networks(a, b):
    """Two summaries alike: equal facts, and the same outputs with the same seeded weights (so
    that a known mistake is named only for networks that compute what its mutant computes)."""
    facts = [key for key in a if key != "seeded"]
    if any(a[key] != b.get(key) for key in facts):
        return False
    x, y = np.asarray(a["seeded"]), np.asarray(b.get("seeded"))
    return x.shape == y.shape and bool(np.allclose(x, y, rtol=1e-3, atol=1e-4))


def _summarise_networks(out):
    decoded = np.asarray(out["decoded"])
    seeded = [np.ravel(o) for o in out.get("seeded_encoder_outputs", [])]
    seeded.append(np.ravel(out.get("seeded_decoded", [])))
    return {
        "seeded": np.concatenate(seeded).astype(np.float64),
        "outputs": [list(np.shape(o)) for o in out["encoder_outputs"]],
        "decoded": list(decoded.shape),
        "in_unit_range": bool(decoded.size and decoded.min() >= 0 and decoded.max() <= 1),
        "logvar_negative": bool(
            len(out["encoder_outputs"]) == 2 and np.any(np.asarray(out["encoder_outputs"][1]) < 0)
        ),
        "heads_equal": bool(
            len(out["encoder_outputs"]) == 2
            and np.allclose(out["encoder_outputs"][0], out["encoder_outputs"][1])
        ),
        "parameters": [out["encoder_parameters"], out["decoder_parameters"]],
    }


def _plan_differences(yours, table):
    """Where the encoder's or the decoder's layers differ from the table's, if either does."""
    names = (_("Your encoder's layers"), _("Your decoder's layers"))
    found = [
        architecture.differences(mine, theirs, what)
        for mine, theirs, what in zip(yours, table, names, strict=True)
    ]
    return " ".join(text for text in found if text)


@pytest.mark.part("vae_networks")
def test_networks_follow_the_table(submission, reference, mistakes):
    """Do the encoder and decoder have the table's outputs, ranges and parameter counts?"""
    for latent_dim, filters in ((5, 4), (2, 8)):
        images, codes = _network_inputs(latent_dim)
        out = submission.probe("vae_networks", probes.networks, latent_dim, filters, images, codes)
        mine = _summarise_networks(out)
        reference_out = reference.probe(
            "vae_networks", probes.networks, latent_dim, filters, images, codes
        )
        expected = _summarise_networks(reference_out)
        explain = first_of(
            partial(
                mistakes.explain,
                "vae_networks",
                partial(_network_summary, latent_dim=latent_dim, filters=filters),
                mine,
                _same_networks,
            ),
            partial(_plan_differences, out["plans"], reference_out["plans"]),
        )
        args = _("build_encoder({d}, {f}) / build_decoder({d}, {f})").format(
            d=latent_dim, f=filters
        )
        check(
            len(mine["outputs"]) == 2 and mine["outputs"] == expected["outputs"],
            _(
                "{args}: the encoder should return two outputs [mean, logvar] of shapes "
                "{expected}, but returns {got}."
            ).format(args=args, expected=expected["outputs"], got=mine["outputs"]),
            explain,
        )
        check(
            not mine["heads_equal"],
            _(
                "{args}: mean and logvar are equal. Give each its own Dense(latent_dim) layer on "
                "the flattened features."
            ).format(args=args),
            explain,
        )
        check(
            mine["logvar_negative"],
            _(
                "{args}: on random images the logvar head never gives a negative value, so the "
                "encoder can never be more certain than the prior (variance 1). The heads are "
                "plain Dense layers, without an activation."
            ).format(args=args),
            explain,
        )
        check(
            mine["decoded"] == expected["decoded"],
            _(
                "{args}: the decoder should return images of shape {expected}, but returns {got}. "
                "Start from 7 x 7 and double the size twice (strides=2, padding='same')."
            ).format(args=args, expected=expected["decoded"], got=mine["decoded"]),
            explain,
        )
        check(
            mine["in_unit_range"],
            _(
                "{args}: for large codes the decoder returns values outside [0, 1], but its "
                "outputs are Bernoulli means: end with a sigmoid activation."
            ).format(args=args),
            explain,
        )
        check(
            mine["parameters"] == expected["parameters"],
            _(
                "{args}: the encoder and decoder have {got} parameters, the table's networks "
                "{expected}. Compare them with the table layer by layer (each layer's kind, "
                "width, kernel size and input), so that trained weights can be loaded by the "
                "grader."
            ).format(args=args, got=mine["parameters"], expected=expected["parameters"]),
            explain,
        )
        same_function = _close(1e-4, 1e-5)(
            [out["seeded_encoder_outputs"], out["seeded_decoded"]],
            [reference_out["seeded_encoder_outputs"], reference_out["seeded_decoded"]],
        )
        check(
            same_function,
            _(
                "{args}: with the same weights as the table's networks, your encoder or decoder "
                "computes something else (an activation, a layer or the order of the layers "
                "differs). Follow the table layer by layer: ReLU after every hidden layer, no "
                "activation on the two heads, a sigmoid at the end of the decoder."
            ).format(args=args),
            explain,
        )


# ---------------------------------------------------------------- vae_loss
def _loss_inputs(label, shape=(4, 6, 5, 1), latent=3):
    """Images like Fashion-MNIST's (about half the pixels exactly 0, some exactly 1, the rest in
    between) and reconstructions strictly inside (0, 1): a cross-entropy with its arguments
    swapped, or any other mistake about which is which, moves the loss far."""
    rng = seeded_rng(label)
    images = rng.random(shape)
    kind = rng.random(shape)
    images = np.where(kind < 0.5, 0.0, np.where(kind < 0.65, 1.0, images)).astype(np.float32)
    reconstructions = rng.uniform(0.02, 0.98, size=shape).astype(np.float32)
    mean = rng.normal(size=(shape[0], latent)).astype(np.float32)
    logvar = rng.normal(0, 0.5, size=(shape[0], latent)).astype(np.float32)
    return images, reconstructions, mean, logvar


def _reconstruction_term(images, reconstructions):
    """Binary cross-entropy summed over each image's pixels, averaged over the images, in
    float64 from the reconstructions clipped in float32 as the task says."""
    low, high = np.float32(1e-7), np.float32(1 - 1e-7)
    p = np.clip(reconstructions.astype(np.float32), low, high).astype(np.float64)
    x = images.astype(np.float64)
    per_image = -(x * np.log(p) + (1 - x) * np.log(1 - p)).reshape(len(x), -1).sum(axis=1)
    return float(per_image.mean())


def _expected_loss(images, reconstructions, mean, logvar):
    """[loss, reconstruction, kl] with the stand-in kl_divergence that vae_loss is checked with."""
    rec = _reconstruction_term(images, reconstructions)
    kl = float(np.asarray(probes.stand_in_kl_divergence(mean, logvar)))
    return [rec + kl, rec, kl]


def _loss_values(got, inputs, explain):
    """vae_loss's three values as floats; a check failure when they are not three scalars."""
    check(
        len(got) == 3,
        _("vae_loss must return three values (loss, reconstruction, kl), not {n}.").format(
            n=len(got)
        ),
        explain,
    )
    names = (_("loss"), _("reconstruction"), _("kl"))
    for name, value in zip(names, got, strict=True):
        shape = np.shape(value)
        if shape == ():
            continue
        hint = ""
        if shape == (len(inputs[0]),):
            hint = " " + _(
                "One value per image: average it over the images (the first axis), so that the "
                "loss is in nats per image."
            )
        fail(
            _(
                "vae_loss must return three scalars, but its {name} has shape {shape} for a "
                "batch of {batch} images.{hint}"
            ).format(name=name, shape=shape, batch=len(inputs[0]), hint=hint),
            explain,
        )
    return [float(v) for v in got]


@pytest.mark.part("vae_loss")
def test_loss_is_the_negative_elbo(submission, mistakes):
    """Are (loss, reconstruction, kl) the negative ELBO's terms per image, with the kl term
    from kl_divergence (a stand-in here, so that vae_loss is graded on its own)?"""
    # The docstring's (B, H, W, C): three channels too, whose values are pixels as well.
    cases = (("loss a", (4, 6, 5, 1)), ("loss b", (2, 28, 28, 1)), ("loss c", (3, 5, 4, 3)))
    for label, shape in cases:
        inputs = _loss_inputs(label, shape)
        got = submission.probe("vae_loss", probes.loss_terms, *inputs)
        explain = partial(
            mistakes.explain,
            "vae_loss",
            lambda ns, inputs=inputs: probes.loss_terms(_as_part(ns, "vae_loss"), *inputs),
            got,
            _close(),
        )
        got = _loss_values(got, inputs, explain)
        expected = _expected_loss(*inputs)
        pixels = int(np.prod(shape[1:]))
        hint = ""
        if math.isclose(got[1], expected[1] / pixels, rel_tol=1e-3):
            hint = " " + _(
                "(It looks like you averaged over the pixels: that makes the reconstruction "
                "{pixels} times too small next to the KL term.)"
            ).format(pixels=pixels)
        elif math.isclose(got[1], expected[1] * shape[0], rel_tol=1e-3):
            hint = " " + _("(It looks like you summed over the images instead of averaging.)")
        assert_close(
            got[1],
            expected[1],
            _(
                "The reconstruction term for images of shape {shape} (binary cross-entropy summed "
                "over each image's pixels, averaged over the images){hint}"
            ).format(shape=shape, hint=hint),
            1e-4,
            1e-4,
            explain,
        )
        kl_hint = ""
        if math.isclose(got[2], _kl_reference(*inputs[2:]), rel_tol=1e-4, abs_tol=1e-6):
            kl_hint = " " + _(
                "(Yours is the KL computed inside vae_loss. The grader runs vae_loss with its own "
                "kl_divergence, so that a mistake there costs that part only: call "
                "kl_divergence(mean, logvar) for the kl term.)"
            )
        assert_close(
            got[2],
            expected[2],
            _("The kl term (it should be what kl_divergence(mean, logvar) returns){hint}").format(
                hint=kl_hint
            ),
            1e-4,
            1e-5,
            explain,
        )
        assert_close(
            got[0],
            got[1] + got[2],
            _("The loss (it should be reconstruction + kl)"),
            1e-4,
            1e-4,
            explain,
        )


def _saturated_inputs():
    """Reconstructions of exactly 0 and 1 (and a few in between) for images in [0, 1]."""
    rng = seeded_rng("saturated")
    shape = (3, 4, 4, 1)
    images = rng.random(shape).astype(np.float32)
    reconstructions = rng.integers(0, 2, size=shape).astype(np.float32)
    inside = rng.random(shape) < 0.25
    reconstructions[inside] = rng.uniform(0.1, 0.9, size=int(inside.sum()))
    mean = rng.normal(size=(3, 2)).astype(np.float32)
    logvar = rng.normal(0, 0.5, size=(3, 2)).astype(np.float32)
    return images, reconstructions, mean, logvar


@pytest.mark.part("vae_loss")
def test_saturated_reconstructions_are_clipped(submission, mistakes):
    """With reconstructions of exactly 0 and 1, is the reconstruction term that of the
    reconstructions clipped to [1e-7, 1 - 1e-7] (finite, and not clipped elsewhere)?"""
    inputs = _saturated_inputs()
    # The same with only one end saturated (the other end's pixels at 0.5): they tell apart
    # code that clips neither end from code that clips one.
    ends = {}
    for end in (0.0, 1.0):
        reconstructions = inputs[1].copy()
        reconstructions[reconstructions == 1.0 - end] = 0.5
        ends[end] = (inputs[0], reconstructions, *inputs[2:])
    # And with no pixel saturated: a term already wrong there (a mean for a sum, say) is the
    # business of the checks above, not a sign of missing clipping.
    unsaturated = inputs[1].copy()
    unsaturated[(unsaturated == 0.0) | (unsaturated == 1.0)] = 0.5
    plain = (inputs[0], unsaturated, *inputs[2:])
    every = [inputs, ends[0.0], ends[1.0], plain]
    raw = [submission.probe("vae_loss", probes.loss_terms, *case) for case in every]
    explain = partial(
        mistakes.explain,
        "vae_loss",
        lambda ns: [probes.loss_terms(_as_part(ns, "vae_loss"), *case) for case in every],
        raw,
        _close(1e-2, 1e-4),
    )
    got = _loss_values(raw[0], inputs, explain)
    expected = _reconstruction_term(inputs[0], inputs[1])
    alone = [_loss_values(raw[i], every[i], explain)[0] for i in (1, 2)]
    check(
        all(np.isfinite(got)),
        _(
            "With reconstructions of exactly 0 and 1 your vae_loss returns {got} (its loss is "
            "{zero:.4g} where the only saturated pixels are 0, {one:.4g} where they are 1): "
            "clip the reconstructions to [1e-7, 1 - 1e-7] before taking logarithms."
        ).format(got=rounded(got, 4), zero=alone[0], one=alone[1]),
        explain,
    )
    plain_term = _loss_values(raw[3], plain, explain)[1]
    if not math.isclose(plain_term, _reconstruction_term(*plain[:2]), rel_tol=0.02):
        return
    # 2%: clipping 1 - p instead of p, or log1p(-p), gives the same bound up to float32's
    # rounding of 1 - 1e-7 (1.2e-7); another bound (1e-6, 1e-5) moves the term by 14% or more.
    check(
        math.isclose(got[1], expected, rel_tol=0.02),
        _(
            "With reconstructions of exactly 0 and 1 your reconstruction term is {got:.4f}, "
            "but with the reconstructions clipped to [1e-7, 1 - 1e-7] it is {expected:.4f}."
        ).format(got=got[1], expected=expected),
        explain,
    )


# ---------------------------------------------------------------- train_step
def _train_images():
    """A batch of (6, 28, 28, 1) images in [0, 1], as the task states its input."""
    return seeded_rng("train step images").random((6, 28, 28, 1)).astype(np.float32)


_STEPS = {}  # (implementation, inputs) -> (probe result, error), shared by the step's checks
_NO_GRADIENTS = "No gradients provided"  # what Keras says when the tape recorded nothing


def _step_args():
    return _train_images(), _seed("train step model"), _seed("train step noise")


def _step(impl):
    # Keyed by the inputs too: in a batch every submission draws its own (its salt), and the
    # reference must then be run on each submission's inputs, not on the first one's.
    images, model_seed, noise_seed = _step_args()
    key = (repr(impl), hashlib.sha256(images.tobytes()).hexdigest(), model_seed, noise_seed)
    if key not in _STEPS:
        try:
            _STEPS[key] = (impl.probe("train_step", probes.one_train_step, *_step_args()), None)
        except Exception as error:  # noqa: BLE001 (reported by every check of the step)
            _STEPS[key] = (None, error)
    result, error = _STEPS[key]
    if error is not None:
        raise error
    return result


def _step_of(ns):
    return probes.one_train_step(_as_part(ns, "train_step"), *_step_args())


def _raises_no_gradients(ns):
    try:
        _step_of(ns)
    except Exception as error:  # noqa: BLE001 (the mutant's step raised: compare the message)
        return _NO_GRADIENTS in str(error)
    return False


def _step_checked(submission, mistakes):
    """The step's probe result; a failure in words when the tape recorded nothing."""
    try:
        return _step(submission)
    except Exception as error:
        if _NO_GRADIENTS not in str(error):
            raise
    fail(
        _(
            "Your step gave the optimizer no gradient for any variable: the tape did not record "
            "the computation of the loss. Run the encoder, the sampler, the decoder and vae_loss "
            "inside `with tf.GradientTape() as tape:`, then call tape.gradient(loss, variables)."
        ),
        lambda: mistakes.explain("train_step", _raises_no_gradients, True),
    )


def _state_hint(mine, expected):
    """A sentence when the batch-normalisation statistics did not move while they should."""

    def moved(result):
        pairs = zip(result["state"], result["state_before"], strict=True)
        return any(not np.allclose(a, b) for a, b in pairs)

    if moved(expected) and not moved(mine):
        return " " + _(
            "(The test encoder's batch normalisation did not update its statistics during your "
            "step: call the encoder and the decoder with training=True in the step.)"
        )
    return ""


def _step_hint(mine, expected):
    """What the step's calls, statistics or returned terms say about its cause, or ""."""
    hint = _calls_hint(mine) or _no_gradient_hint(mine) or _state_hint(mine, expected)
    returned = mine["returned"]
    if (
        not hint
        and len(returned) == 3
        and all(np.shape(v) == () for v in returned)
        and math.isclose(float(returned[2]), float(expected["returned"][2]), rel_tol=1e-4)
        and not math.isclose(float(returned[1]), float(expected["returned"][1]), rel_tol=1e-4)
    ):
        decodes_mean = math.isclose(
            float(returned[1]), mine["mean_reconstruction"], rel_tol=1e-4, abs_tol=1e-6
        )
        hint = " " + (
            _(
                "(The kl term is right, and the reconstruction term is that of the decoded "
                "mean: decode the z that the sampler returns, not the mean.)"
            )
            if decodes_mean
            else _("(The kl term is right but the reconstruction is not: check the z you decode.)")
        )
    return hint


def _no_gradient_hint(mine):
    """Variables handed to the optimizer with a gradient of None: the tape did not see them."""
    missing = mine["without_gradient"]
    if not missing:
        return ""
    names = [mine["names"][i] for i in missing]
    return " " + _(
        "(Your step gave the optimizer {count} variables without a gradient (None), for example "
        "{names}: the tape did not record the loss's computation through them. Run the encoder, "
        "the sampler and the decoder inside `with tf.GradientTape() as tape:`.)"
    ).format(count=len(missing), names=", ".join(names[:2]))


def _calls_hint(mine):
    calls = mine["sampler_calls"]
    if calls is not None and calls != 1:
        return " " + _(
            "(Your step called the sampler {calls} times; call it exactly once and decode the z "
            "it returns.)"
        ).format(calls=calls)
    return ""


@pytest.mark.part("train_step")
def test_train_step_returns_the_loss_before_the_update(submission, reference, mistakes):
    """Does the step return (loss, reconstruction, kl) of vae_loss on the batch before the
    update, with the z of one call of the sampler (stand-ins for both)?"""
    mine, expected = _step_checked(submission, mistakes), _step(reference)
    explain = partial(
        mistakes.explain,
        "train_step",
        lambda ns: _step_of(ns)["returned"],
        mine["returned"],
        _close(),
    )
    check(
        len(mine["returned"]) == 3 and all(np.shape(v) == () for v in mine["returned"]),
        _("step(images) must return three scalars (loss, reconstruction, kl), not {what}.").format(
            what=[list(np.shape(v)) for v in mine["returned"]]
        ),
        explain,
    )
    returned = [float(v) for v in mine["returned"]]
    hint = _step_hint(mine, expected)
    assert_close(
        returned,
        [float(v) for v in expected["returned"]],
        _(
            "What your step returns on a tiny VAE (vae_loss of the batch before the update, with "
            "z drawn by the sampler){hint}"
        ).format(hint=hint),
        1e-4,
        1e-4,
        explain,
    )
    check(
        mine["tf_function"],
        _(
            "make_train_step returns a plain Python function; the task asks for a tf.function, "
            "which TensorFlow compiles into a graph once instead of running every operation "
            "eagerly on every step. Decorate step with @tf.function (or return "
            "tf.function(step))."
        ),
        lambda: mistakes.explain(
            "train_step", lambda ns: _step_of(ns)["tf_function"], False, lambda a, b: a == b
        ),
    )


@pytest.mark.part("train_step")
def test_train_step_updates_both_networks_like_the_reference(submission, reference, mistakes):
    """After one SGD step, are all weights of both networks where the reference puts them, and
    the batch-normalisation statistics too (training mode)?"""
    mine, expected = _step_checked(submission, mistakes), _step(reference)
    # Which variables got no gradient tells a network run outside the tape from one whose
    # variables were never given to the optimizer: both leave the same weights.
    explain = partial(
        mistakes.explain,
        "train_step",
        lambda ns: [_step_of(ns)[k] for k in ("weights", "state", "without_gradient")],
        [mine["weights"], mine["state"], mine["without_gradient"]],
        _close(),
    )
    wrong = [
        name
        for name, a, b in zip(expected["names"], mine["weights"], expected["weights"], strict=True)
        if not np.allclose(a, b, rtol=1e-4, atol=1e-6)
    ]
    if wrong:
        # The step's own calls or statistics name the cause where they can; the requirement
        # is restated only where they do not.
        hint = _step_hint(mine, expected)
        if not hint:
            hint = " " + _(
                "Compute vae_loss under the tape and apply its gradients to "
                "encoder.trainable_variables + decoder.trainable_variables."
            )
        fail(
            _(
                "After one step, {count} of the {total} variables of the encoder and decoder "
                "differ from one SGD step on the loss (for example {names}).{hint}"
            ).format(
                count=len(wrong),
                total=len(expected["names"]),
                names=", ".join(wrong[:3]),
                hint=hint,
            ),
            explain,
        )
    same_state = all(
        np.allclose(a, b, rtol=1e-4, atol=1e-6)
        for a, b in zip(mine["state"], expected["state"], strict=True)
    )
    check(
        same_state,
        _(
            "After one step, the batch-normalisation statistics of the test encoder are not "
            "where a step in training mode puts them.{hint}"
        ).format(hint=_state_hint(mine, expected)),
        explain,
    )


@pytest.mark.defining
@pytest.mark.part("train_step")
def test_train_step_trains_the_encoder_and_the_decoder(submission, mistakes):
    """Does one step move some weight of each network? A VAE whose encoder never learns (or
    whose decoder never does) is not trained, whatever else the step gets right."""
    mine = _step_checked(submission, mistakes)
    split = mine["encoder_variables"]
    moved = [
        not np.allclose(a, b, rtol=0.0, atol=0.0)
        for a, b in zip(mine["weights"], mine["weights_before"], strict=True)
    ]
    still = [
        network
        for network, flags in (("encoder", moved[:split]), ("decoder", moved[split:]))
        if not any(flags)
    ]
    check(
        not still,
        _(
            "One training step left every weight of the {networks} where it was. Compute "
            "vae_loss under the tape and apply its gradients to encoder.trainable_variables + "
            "decoder.trainable_variables."
        ).format(networks=still[0] if len(still) == 1 else _("encoder and of the decoder")),
        # Which variables got no gradient tells an encoder run outside the tape from one left
        # out of the optimizer: both leave the same weights.
        partial(
            mistakes.explain,
            "train_step",
            lambda ns: [_step_of(ns)[k] for k in ("weights", "without_gradient")],
            [mine["weights"], mine["without_gradient"]],
            _close(),
        ),
    )


@pytest.mark.defining
@pytest.mark.part("train_step")
def test_train_step_lowers_the_loss(submission, reference, mistakes):
    """With the same noise, is the loss lower after the step?"""
    mine = _step_checked(submission, mistakes)
    expected = _step(reference)
    # One SGD step can overshoot on some inputs (the reference's own loss then rises too, on
    # about 1 salt in 40): a step that ends no higher than the reference's does is right.
    if mine["after"] < mine["before"] or mine["after"] <= expected["after"] + 1e-4 * abs(
        expected["after"]
    ):
        return
    # The step's calls and terms name a cause where they can; else the requirement itself.
    advice = _step_hint(mine, expected) or " " + _(
        "Minimise the loss: optimizer.apply_gradients(zip(tape.gradient(loss, variables), "
        "variables))."
    )
    fail(
        _(
            "One training step should lower the loss on its own batch (same noise), but it went "
            "from {before:.4f} to {after:.4f}.{advice}"
        ).format(before=mine["before"], after=mine["after"], advice=advice),
        # The weights and statistics after the step: "the loss did not fall" fits many steps.
        partial(
            mistakes.explain,
            "train_step",
            lambda ns: [_step_of(ns)[k] for k in ("weights", "state")],
            [mine["weights"], mine["state"]],
            _close(),
        ),
    )


# ---------------------------------------------------------------- generation
def _codes_of(images, latent_dim):
    """The codes a code decoder (probes.code_decoder) wrote into its images."""
    p = np.asarray(images, np.float64).reshape(len(images), -1)[:, :latent_dim]
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return probes.CODE_SCALE * np.log(p / (1 - p))


_PRIOR_N, _PRIOR_D = 20_000, 3


def _prior_seeds():
    rng = seeded_rng("prior seeds")
    first, other = (int(s) for s in rng.choice(2**20, size=2, replace=False))
    return [first, first, other]


def _probe_prior(submission, probe, *args):
    """submission.probe("generation", probe, *args), with a named failure when sample_prior
    only works for decoders of one latent size (a size written into the code)."""
    try:
        return submission.probe("generation", probe, *args)
    except Exception as error:
        found = re.search(r"expected shape=\(None, \d+\), found shape=\(\d+, (\d+)\)", str(error))
        size = int(found.group(1)) if found else None
        if size is None or size == _PRIOR_D or not _works_with_size(submission, size):
            raise
        fail(
            _(
                "sample_prior(decoder, n) raised an error for a decoder of latent size {d} "
                "({error}), yet works for one of latent size {size}: it draws codes of the fixed "
                "size {size}. Read the latent size from the decoder it is given "
                "(decoder.input_shape[-1])."
            ).format(d=_PRIOR_D, size=size, error=found.group(0))
        )


def _works_with_size(submission, size):
    try:
        submission.probe("generation", probes.prior_draw, 4, size, 0)
    except Exception:  # noqa: BLE001 (any error: it does not work with that size either)
        return False
    return True


def _prior_stats(ns):
    out = probes.prior_codes(ns, _PRIOR_N, _PRIOR_D, _prior_seeds())
    return _prior_summary(out)


def _prior_summary(out):
    (kind, a), (_kind_b, b), (_kind_c, c) = out
    shape = list(np.shape(a))
    summary = {"numpy": kind == "numpy.ndarray", "shape": shape}
    if shape != [_PRIOR_N, 28, 28, 1]:
        return summary
    a, b, c = (_codes_of(x, _PRIOR_D) for x in (a, b, c))
    summary.update(
        mean_ok=bool(np.all(np.abs(a.mean(axis=0)) < 0.05)),
        std_ok=bool(np.all(np.abs(a.std(axis=0) - 1) < 0.04)),
        same_seed=bool(np.allclose(a, b, atol=1e-4)),
        other_seed=bool(not np.allclose(a, c, atol=1e-4)),
    )
    return summary


@pytest.mark.part("generation")
def test_sample_prior_draws_from_the_standard_normal(submission, mistakes):
    """With a decoder whose images show their codes, are the codes N(0, I), reproducible per
    seed, and the images a NumPy array (n, 28, 28, 1)?"""
    seeds = _prior_seeds()
    out = _probe_prior(submission, probes.prior_codes, _PRIOR_N, _PRIOR_D, seeds)
    summary = _prior_summary(out)
    explain = partial(mistakes.explain, "generation", _prior_stats, summary, lambda x, y: x == y)
    check(
        summary["shape"] == [_PRIOR_N, 28, 28, 1],
        _(
            "sample_prior(decoder, {n}) should return the decoded images, shape ({n}, 28, 28, 1) "
            "(the latent size comes from decoder.input_shape), not {shape}."
        ).format(n=_PRIOR_N, shape=tuple(summary["shape"])),
        explain,
    )
    check(
        summary["numpy"],
        _(
            "sample_prior returns a {kind}; the task asks for a NumPy array: convert the "
            "decoder's output with keras.ops.convert_to_numpy."
        ).format(kind=out[0][0]),
        explain,
    )
    codes = _codes_of(out[0][1], _PRIOR_D)
    check(
        summary["mean_ok"] and summary["std_ok"],
        _(
            "The codes your sample_prior decodes have mean {mean} and standard deviation {std}; "
            "the prior is the standard normal N(0, I): use keras.random.normal."
        ).format(
            mean=rounded(codes.mean(axis=0), 3),
            std=rounded(codes.std(axis=0), 3),
        ),
        explain,
    )
    check(
        summary["same_seed"] and summary["other_seed"],
        _(
            "sample_prior should give the same images for the same seed and others for another "
            "seed; yours: same seed, same images: {same}; another seed, other images: {other}. "
            "Pass seed=seed to keras.random.normal."
        ).format(same=summary["same_seed"], other=summary["other_seed"]),
        explain,
    )


@pytest.mark.part("generation")
def test_sample_prior_uses_keras_random_normal(submission, reference, mistakes):
    """Are the codes sample_prior decodes keras.random.normal((n, D), seed=seed), the draw its
    docstring prescribes?"""
    seed = _prior_seeds()[2]
    images = _probe_prior(submission, probes.prior_draw, 64, _PRIOR_D, seed)
    check(
        np.shape(images) == (64, 28, 28, 1),
        _(
            "sample_prior(decoder, 64) should return the decoded images, shape (64, 28, 28, 1) "
            "(the latent size comes from decoder.input_shape), not {shape}."
        ).format(shape=tuple(np.shape(images))),
    )
    codes = _codes_of(images, _PRIOR_D)
    wanted = _codes_of(reference.probe("generation", probes.prior_draw, 64, _PRIOR_D, seed), 3)
    check(
        np.allclose(codes, wanted, atol=2e-3),
        _(
            "With a decoder whose images show their codes, sample_prior(decoder, 64, seed={seed}) "
            "decoded other codes than keras.random.normal((64, D), seed={seed}), the draw its "
            "docstring prescribes (first code: yours {got}, expected {expected}). Draw the codes "
            "with keras.random.normal((n, D), seed=seed) itself."
        ).format(
            seed=seed,
            got=rounded(codes[0], 3),
            expected=rounded(wanted[0], 3),
        ),
        partial(
            mistakes.explain,
            "generation",
            lambda ns: _codes_of(probes.prior_draw(ns, 64, _PRIOR_D, seed), _PRIOR_D),
            codes,
            _close(1e-4, 1e-4),
        ),
    )


def _pair(label):
    rng = seeded_rng(label)
    return rng.random((28, 28, 1)).astype(np.float32), rng.random((28, 28, 1)).astype(np.float32)


def _interpolates_samples(submission, args, expected_images):
    """The sentence for an interpolation that is right only when the encoder's variance is
    near zero: it walks between sampled codes, not between the means."""
    certain = submission.probe("generation", probes.interpolation, *args, certain=True)
    right_when_certain = np.shape(certain["images"]) == np.shape(expected_images) and np.allclose(
        certain["images"], expected_images, 1e-4, 1e-5
    )
    if not right_when_certain:
        return ""
    return _(
        "With an encoder whose variance is near zero your interpolation is right, and with a "
        "variance it is not: it walks between sampled codes (mean + noise), not between the two "
        "means the encoder returns."
    )


@pytest.mark.part("generation")
def test_interpolation_walks_between_the_means(submission, reference, mistakes):
    """Does interpolate decode the straight line between the two encodings' means, return a
    NumPy array, and leave the two images as they were?"""
    a, b = _pair("interpolation images")
    steps_shown = int(seeded_rng("interpolation steps").integers(4, 9))
    for steps, code_images in ((steps_shown, True), (4, False)):
        args = (a, b, steps, 4, "interpolation", code_images)
        got = submission.probe("generation", probes.interpolation, *args)
        expected = reference.probe("generation", probes.interpolation, *args)
        explain = first_of(
            partial(
                mistakes.explain,
                "generation",
                lambda ns, args=args: probes.interpolation(ns, *args),
                got,
                _close(1e-4, 1e-5),
            ),
            partial(_interpolates_samples, submission, args, expected["images"]),
        )
        what = (
            _(
                "With a decoder whose images show their codes, interpolate(encoder, decoder, a, "
                "b, steps={steps}) (the codes (1 - t) * mean_a + t * mean_b for t = "
                "np.linspace(0, 1, steps))"
            )
            if code_images
            else _(
                "interpolate(encoder, decoder, a, b, steps={steps}) with a sigmoid decoder (the "
                "decodings of the codes between the means, not a mix of pixels)"
            )
        ).format(steps=steps)
        assert_close(got["images"], expected["images"], what, 1e-4, 1e-5, explain)
        check(
            got["type"] == "numpy.ndarray",
            _(
                "interpolate returns a {kind}; the task asks for a NumPy array: convert the "
                "decoder's output with keras.ops.convert_to_numpy."
            ).format(kind=got["type"]),
            explain,
        )
        check(
            got["inputs_unchanged"],
            _(
                "interpolate changed image_a or image_b, the arrays it was given: work on "
                "copies, and leave the caller's images as they were."
            ),
            explain,
        )


# ---------------------------------------------------------------- trained_vae
SETTINGS = "vae.json"  # saved by the notebook after its training run
ENCODER_WEIGHTS = "vae_encoder.weights.h5"
DECODER_WEIGHTS = "vae_decoder.weights.h5"
HANDED_IN_TEST_IMAGES = 1000
HANDED_IN_SAMPLES = 1000
CANDIDATES = 10  # the own image and 9 other test images, for the pairing check


def _threshold(name):
    from pathlib import Path

    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch02_vae"][name]


def _test_images():
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        test_images, _labels = load_fashion_mnist("test")
    except DatasetNotFound as error:
        pytest.skip(str(error))
    return (test_images[:HANDED_IN_TEST_IMAGES] / 255.0).astype(np.float32)[..., None]


_TRAINED = {}  # (implementation, inputs) -> probe result, shared by the checks of one run


def _trained(submission):
    """The handed-in VAE, measured once by one probe for all its checks; a failure when its
    files are missing or do not load."""
    images = _test_images()
    order = seeded_rng("handed-in order").permutation(2 * len(images) + HANDED_IN_SAMPLES)
    key = (repr(submission), hashlib.sha256(order.tobytes()).hexdigest())  # and its salt's inputs
    if key not in _TRAINED:
        noise = seeded_rng("handed-in noise").normal(size=(len(images), 16)).astype(np.float32)
        codes = seeded_rng("handed-in codes").normal(size=(HANDED_IN_SAMPLES, 16))
        _TRAINED[key] = submission.probe(
            "trained_vae",
            probes.handed_in_vae,
            [SETTINGS, ENCODER_WEIGHTS, DECODER_WEIGHTS],
            images,
            noise,
            codes.astype(np.float32),
            order,
        )
    result = _TRAINED[key]
    if "missing" in result:
        fail(
            _(
                "No trained model was handed in: run the training cells of the notebook to the end "
                "(they save {files} next to it) and submit these files with the notebook."
            ).format(files=", ".join(result["missing"]))
        )
    if "error" in result:
        fail(
            _(
                "The saved weights do not fit the networks that build_encoder and build_decoder "
                "build with the settings in {settings} ({error}). Save them from the same run, "
                "with the cell that saves them."
            ).format(settings=SETTINGS, error=result["error"])
        )
    return images, result


def _bernoulli_elbo(images, result):
    """Mean negative ELBO (nats per image) from the probe's outputs, in float64."""
    x = images.reshape(len(images), -1).astype(np.float64)
    p = np.clip(np.asarray(result["reconstructions"], np.float64), 1e-7, 1 - 1e-7)
    p = p.reshape(len(images), -1)
    rec = -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1)
    mean = np.asarray(result["mean"], np.float64)
    logvar = np.asarray(result["logvar"], np.float64)
    kl = -0.5 * np.sum(1 + logvar - mean**2 - np.exp(logvar), axis=1)
    return float(np.mean(rec + kl))


@pytest.mark.property
@pytest.mark.handed_in
@pytest.mark.part("trained_vae")
def test_the_handed_in_files_load(submission):
    """Are vae.json and the two weight files there, and do they load into the networks?"""
    _trained(submission)


@pytest.mark.handed_in
@pytest.mark.part("trained_vae")
def test_the_handed_in_vae_meets_the_negative_elbo_threshold(submission):
    """Does the VAE the notebook trained and saved reach the course's test negative ELBO?"""
    images, result = _trained(submission)
    elbo = _bernoulli_elbo(images, result)
    limit = _threshold("vae_test_negative_elbo_max")
    check(
        np.isfinite(elbo) and elbo <= limit,
        _(
            "Your trained VAE has a negative ELBO of {elbo:.1f} nats per image on {n} test "
            "images; the course asks for {limit:.1f} or less. Train longer, or check the loss "
            "and the train step."
        ).format(elbo=elbo, n=len(images), limit=limit),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_vae")
def test_the_handed_in_vae_samples_meet_the_frechet_threshold(submission):
    """Are 1,000 samples of the handed-in VAE within the course's Frechet distance?"""
    from igcourse.evaluation.classifier import load_evaluator
    from igcourse.evaluation.frechet import fit_gaussian, frechet_distance
    from igcourse.evaluation.reference import reference_features

    _images, result = _trained(submission)
    samples = np.clip(np.asarray(result["samples"], np.float32), 0.0, 1.0)
    features, _probabilities = load_evaluator("fashion_mnist").features_and_probabilities(samples)
    real_features, _real_probabilities, _real_labels = reference_features("fashion_mnist")
    fd = frechet_distance(fit_gaussian(features), fit_gaussian(real_features))
    fd_limit = _threshold("vae_sample_frechet_distance_max")
    check(
        np.isfinite(fd) and fd <= fd_limit,
        _(
            "The {n} samples of your trained VAE are at a Frechet distance of {fd:.1f} from the "
            "test images (in the course classifier's feature space); the course asks for "
            "{limit:.1f} or less. Train longer, or check the networks and the train step."
        ).format(n=len(samples), fd=fd, limit=fd_limit),
    )


@pytest.mark.handed_in
@pytest.mark.part("trained_vae")
def test_the_handed_in_decoder_was_trained_with_the_encoder(submission):
    """Does the decoder reconstruct the test images from the encoder's means: is each
    decoding nearer its own image than 9 other test images, as for networks trained together?"""
    images, result = _trained(submission)
    x = images.reshape(len(images), -1).astype(np.float64)
    decoded = np.asarray(result["decoded_means"], np.float64).reshape(len(images), -1)
    rng = seeded_rng("handed-in pairing")
    shifts = np.stack(
        [rng.permutation(np.arange(1, len(images)))[: CANDIDATES - 1] for _i in range(len(x))]
    )
    others = (np.arange(len(x))[:, None] + shifts) % len(x)  # 9 other images per image
    own = ((decoded - x) ** 2).mean(axis=1)
    nearest_other = ((decoded[:, None, :] - x[others]) ** 2).mean(axis=2).min(axis=1)
    share = float(np.mean(own < nearest_other))
    minimum = _threshold("vae_reconstruction_own_image_share_min")
    check(
        share >= minimum,
        _(
            "Decoding the means your encoder gives {n} test images, only {share:.0%} of the "
            "decodings are nearer their own image than {others} other test images (chance is "
            "{chance:.0%}); the course asks for {minimum:.0%}. The decoder you handed in does "
            "not reconstruct what your encoder encodes: save the encoder and the decoder of the "
            "same training run, after training, with the cell that saves them."
        ).format(
            n=len(x),
            share=share,
            others=CANDIDATES - 1,
            chance=1 / CANDIDATES,
            minimum=minimum,
        ),
    )
