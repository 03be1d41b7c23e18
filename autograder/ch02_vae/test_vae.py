"""Hidden checks of vae: the sampling layer, the KL term, the networks, the loss, the training
step, generation, and the model the notebook trained and handed in.

Every check gets its values through a probe (probes_vae.py) and judges them here, against the
maths or against the reference run through the same probe. Each part is checked with the
reference's definitions of the other parts (see PART_NAMES).
"""

import math
from functools import partial

import numpy as np
import probes_vae as probes
import pytest

from igcourse.grading.checks import assert_close, assert_shape, check, fail, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "sampling_layer": ["GaussianSampling"],
    "kl_divergence": ["kl_divergence"],
    "vae_networks": ["build_encoder", "build_decoder"],
    "vae_loss": ["vae_loss"],
    "train_step": ["make_train_step"],
    "generation": ["sample_prior", "interpolate"],
}

# Every public check of a part counts in its hidden grade too.
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


# ---------------------------------------------------------------- sampling_layer
_N_DRAWS = 40_000
_DRAW_MEAN = [1.5, -2.0, 0.25, 3.0]
_DRAW_LOGVAR = [math.log(0.36), math.log(2.25), -2.0, 1.2]


def _draw_inputs():
    mean = np.tile(np.array([_DRAW_MEAN], np.float32), (_N_DRAWS, 1))
    logvar = np.tile(np.array([_DRAW_LOGVAR], np.float32), (_N_DRAWS, 1))
    return mean, logvar


def _standardised_moments(ns):
    mean, logvar = _draw_inputs()
    z = probes.sampling_draws(ns, mean, logvar, 11, calls=1)[0]
    eps = (np.asarray(z, np.float64) - mean) / np.exp(0.5 * logvar)
    return [eps.mean(axis=0).round(2), eps.std(axis=0).round(2)]


@pytest.mark.part("sampling_layer")
def test_draws_follow_the_gaussian(submission, mistakes):
    """Are the draws N(mean, exp(logvar)), column by column?"""
    mean, logvar = _draw_inputs()
    z = submission.probe("sampling_layer", probes.sampling_draws, mean, logvar, 11, 1)[0]
    explain = partial(mistakes.explain, "sampling_layer", _standardised_moments)
    assert_shape(z, mean.shape, _("GaussianSampling()((mean, logvar)) for inputs (40000, 4)"))
    eps = (np.asarray(z, np.float64) - mean) / np.exp(0.5 * logvar)
    # 40,000 draws: the standard error of a mean is 0.005 and of a standard deviation 0.0035,
    # so these bounds (8 and 10 standard errors) hold for any seed, yet catch every mistake.
    got_mean, got_std = eps.mean(axis=0), eps.std(axis=0)
    observed = [got_mean.round(2), got_std.round(2)]
    if not (np.all(np.abs(got_mean) < 0.04) and np.all(np.abs(got_std - 1) < 0.035)):
        fail(
            _(
                "For mean {mean} and log-variance {logvar}, your draws have mean {got_mean} and "
                "standard deviation {got_std}; expected standard deviation {std} "
                "(exp(0.5 * logvar)). z must be mean + exp(0.5 * logvar) * epsilon with epsilon "
                "drawn from a standard normal."
            ).format(
                mean=_DRAW_MEAN,
                logvar=np.round(_DRAW_LOGVAR, 3).tolist(),
                got_mean=np.round(z.mean(axis=0), 3).tolist(),
                got_std=np.round(z.std(axis=0), 3).tolist(),
                std=np.round(np.exp(0.5 * np.array(_DRAW_LOGVAR)), 3).tolist(),
            ),
            partial(explain, observed, _close(0, 0.011)),
        )
    correlation = np.corrcoef(eps, rowvar=False) - np.eye(4)
    check(
        np.max(np.abs(correlation)) < 0.05,
        _(
            "The noise of different latent dimensions is correlated (largest correlation "
            "{corr:.2f}): draw one independent standard normal number per entry of mean."
        ).format(corr=float(np.max(np.abs(correlation)))),
    )


def _fresh_noise(ns):
    mean, logvar = np.zeros((6, 3), np.float32), np.zeros((6, 3), np.float32)
    first, second = probes.sampling_draws(ns, mean, logvar, 2, calls=2)
    return [bool(np.allclose(first, second)), bool(np.allclose(first, first[:1])), first.std() > 0]


@pytest.mark.part("sampling_layer")
def test_new_noise_on_every_call_and_row(submission, mistakes):
    """Does each call, and each row of a batch, get new noise?"""
    mean, logvar = np.zeros((6, 3), np.float32), np.zeros((6, 3), np.float32)
    first, second = submission.probe("sampling_layer", probes.sampling_draws, mean, logvar, 2, 2)
    observed = [
        bool(np.allclose(first, second)),
        bool(np.allclose(first, first[:1])),
        float(np.std(first)) > 0,
    ]
    explain = partial(mistakes.explain, "sampling_layer", _fresh_noise, observed, _close())
    check(
        observed[2],
        _(
            "With mean 0 and logvar 0 your layer returns {z}: there is no noise. Draw epsilon "
            "with keras.random.normal in call() and return mean + exp(0.5 * logvar) * epsilon."
        ).format(z=np.round(first[0], 3).tolist()),
        explain,
    )
    check(
        not observed[0],
        _(
            "Two calls of the same GaussianSampling layer returned the same z, so training would "
            "see the same noise in every step. Draw new noise inside call(), passing "
            "seed=self.seed_generator to keras.random.normal, not once in __init__ or build."
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


def _reproducible(ns):
    mean, logvar = np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32)
    a, b = probes.sampling_first_draws(ns, mean, logvar, 21)
    return bool(np.allclose(a, b))


@pytest.mark.part("sampling_layer")
def test_the_seed_makes_draws_reproducible(submission, mistakes):
    """Do two layers made with the same seed draw the same noise first?"""
    mean, logvar = np.zeros((4, 2), np.float32), np.zeros((4, 2), np.float32)
    a, b = submission.probe("sampling_layer", probes.sampling_first_draws, mean, logvar, 21)
    same = bool(np.allclose(a, b))
    check(
        same,
        _(
            "Two GaussianSampling layers made with seed=21 gave different first draws, so runs "
            "cannot be repeated. Create keras.random.SeedGenerator(seed) in __init__ and pass it "
            "as seed= to keras.random.normal."
        ),
        lambda: mistakes.explain("sampling_layer", _reproducible, same, lambda x, y: x == y),
    )


_GRAD_MEAN = [[0.3, -1.2, 2.0], [-0.5, 0.0, 1.1]]
_GRAD_LOGVAR = [[-0.7, 0.4, 1.3], [0.9, -1.5, 0.2]]


def _gradient_summary(ns):
    out = probes.sampling_gradients(ns, _GRAD_MEAN, _GRAD_LOGVAR, 4)
    return _diagonals(out)


def _diagonals(out):
    """dz_i/dmean_i and dz_i/dlogvar_i (N, D) from the full Jacobians, or None."""
    shape = np.shape(_GRAD_MEAN)
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
    out = submission.probe("sampling_layer", probes.sampling_gradients, _GRAD_MEAN, _GRAD_LOGVAR, 4)
    mean, logvar = np.array(_GRAD_MEAN), np.array(_GRAD_LOGVAR)
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
    check(
        gap < 1e-5,
        _(
            "With the noise held fixed, the gradients of your layer differ from finite "
            "differences by {gap:.2g} in float64: the computation of z is not differentiable "
            "as written. Use keras.ops (or TensorFlow) for every step, in the layer's dtype."
        ).format(gap=gap),
        explain,
    )


# ---------------------------------------------------------------- kl_divergence
def _kl_reference(mean, logvar):
    mean, logvar = np.asarray(mean, np.float64), np.asarray(logvar, np.float64)
    return float(np.mean(-0.5 * np.sum(1 + logvar - mean**2 - np.exp(logvar), axis=-1)))


def _kl_inputs(label, shape=(7, 5)):
    rng = seeded_rng(label)
    mean = rng.normal(0, 1.2, size=shape).astype(np.float32)
    logvar = rng.normal(0, 0.8, size=shape).astype(np.float32)
    return mean, logvar


def _kl_hint(got, mean, logvar):
    """A sentence naming what the value looks like, or ""."""
    expected = _kl_reference(mean, logvar)
    batch, dims = mean.shape
    rows = -0.5 * np.sum(1 + logvar - mean**2 - np.exp(logvar), axis=-1)
    candidates = {
        _("you averaged over the latent dimensions instead of summing over them"): expected / dims,
        _("you summed over the images of the batch instead of averaging"): expected * batch,
        _("the sign is wrong"): -expected,
        _("the 1 inside the sum is missing"): expected + 0.5 * dims,
        _("you treated logvar as log(sigma), using exp(2 * logvar) for the variance"): float(
            np.mean(-0.5 * np.sum(1 + 2 * logvar - mean**2 - np.exp(2 * logvar), axis=-1))
        ),
        _("you returned one value per image; average them over the batch"): float(rows.sum()),
    }
    for hint, value in candidates.items():
        if np.ndim(got) == 0 and math.isclose(float(got), value, rel_tol=1e-4):
            return " " + _("(It looks like {hint}.)").format(hint=hint)
    return ""


@pytest.mark.part("kl_divergence")
def test_kl_equals_the_closed_form(submission, mistakes):
    """Does kl_divergence equal the closed form, summed over dimensions and averaged over images?"""
    for label, shape in (("kl a", (7, 5)), ("kl b", (3, 12)), ("kl c", (1, 2))):
        mean, logvar = _kl_inputs(label, shape)
        got = submission.probe("kl_divergence", probes.kl_value, mean, logvar)
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


@pytest.mark.part("kl_divergence")
def test_kl_is_zero_at_the_prior(submission, mistakes):
    """Is the KL of N(0, I) to the prior zero?"""
    zeros = np.zeros((4, 6), np.float32)
    got = submission.probe("kl_divergence", probes.kl_value, zeros, zeros)
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
    got = submission.probe("kl_divergence", probes.kl_value, mean, logvar)
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
            mean=np.round(mean, 2).tolist(),
            logvar=np.round(logvar, 2).tolist(),
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
    base = submission.probe("kl_divergence", probes.kl_value, mean, logvar)
    wide = submission.probe(
        "kl_divergence", probes.kl_value, np.tile(mean, (1, 2)), np.tile(logvar, (1, 2))
    )
    tall = submission.probe(
        "kl_divergence", probes.kl_value, np.tile(mean, (2, 1)), np.tile(logvar, (2, 1))
    )
    observed = [round(wide / base, 3), round(tall / base, 3)] if base else [None, None]

    def ratios(ns):
        b = probes.kl_value(ns, mean, logvar)
        w = probes.kl_value(ns, np.tile(mean, (1, 2)), np.tile(logvar, (1, 2)))
        t = probes.kl_value(ns, np.tile(mean, (2, 1)), np.tile(logvar, (2, 1)))
        return [round(w / b, 3), round(t / b, 3)] if b else [None, None]

    explain = partial(mistakes.explain, "kl_divergence", ratios, observed, _close(1e-3, 1e-3))
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


def _summarise_networks(out):
    decoded = np.asarray(out["decoded"])
    return {
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
        explain = partial(
            mistakes.explain,
            "vae_networks",
            partial(_network_summary, latent_dim=latent_dim, filters=filters),
            mine,
            lambda a, b: a == b,
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
                "{expected}. Follow the table layer by layer (kernel size 3, F and 2F filters), "
                "so that trained weights can be loaded by the grader."
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
    rng = seeded_rng(label)
    images = rng.random(shape).astype(np.float32)
    reconstructions = rng.uniform(0.02, 0.98, size=shape).astype(np.float32)
    mean = rng.normal(size=(shape[0], latent)).astype(np.float32)
    logvar = rng.normal(0, 0.5, size=(shape[0], latent)).astype(np.float32)
    return images, reconstructions, mean, logvar


def _expected_loss(images, reconstructions, mean, logvar):
    p = np.clip(reconstructions.astype(np.float64), 1e-7, 1 - 1e-7)
    x = images.astype(np.float64)
    per_image = -(x * np.log(p) + (1 - x) * np.log(1 - p)).reshape(len(x), -1).sum(axis=1)
    rec = float(per_image.mean())
    kl = _kl_reference(mean, logvar)
    return [rec + kl, rec, kl]


@pytest.mark.part("vae_loss")
def test_loss_is_the_negative_elbo(submission, mistakes):
    """Are (loss, reconstruction, kl) the negative ELBO and its two terms, per image?"""
    for label, shape in (("loss a", (4, 6, 5, 1)), ("loss b", (2, 28, 28, 1))):
        inputs = _loss_inputs(label, shape)
        got = submission.probe("vae_loss", probes.loss_terms, *inputs)
        expected = _expected_loss(*inputs)
        explain = partial(
            mistakes.explain,
            "vae_loss",
            lambda ns, inputs=inputs: probes.loss_terms(ns, *inputs),
            got,
            _close(),
        )
        check(
            len(got) == 3,
            _("vae_loss must return three values (loss, reconstruction, kl), not {n}.").format(
                n=len(got)
            ),
            explain,
        )
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
        assert_close(
            got[2],
            expected[2],
            _("The kl term (it should be kl_divergence(mean, logvar))"),
            1e-4,
            1e-5,
            explain,
        )
        assert_close(
            got[0],
            expected[0],
            _("The loss (it should be reconstruction + kl)"),
            1e-4,
            1e-4,
            explain,
        )


@pytest.mark.part("vae_loss")
def test_loss_is_finite_for_saturated_reconstructions(submission, mistakes):
    """Do reconstructions of exactly 0 and 1 give a finite loss (clipped logarithms)?"""
    images = np.array([0.0, 1.0, 0.3, 1.0]).reshape(1, 2, 2, 1).astype(np.float32)
    reconstructions = np.array([0.0, 1.0, 1.0, 0.0]).reshape(1, 2, 2, 1).astype(np.float32)
    zeros = np.zeros((1, 2), np.float32)
    inputs = (images, reconstructions, zeros, zeros)
    got = submission.probe("vae_loss", probes.loss_terms, *inputs)
    check(
        all(np.isfinite(got)),
        _(
            "With reconstructions of exactly 0 and 1 your vae_loss returns {got}: clip the "
            "reconstructions to [1e-7, 1 - 1e-7] before taking logarithms."
        ).format(got=got),
        lambda: mistakes.explain(
            "vae_loss",
            lambda ns: [bool(v) for v in np.isfinite(probes.loss_terms(ns, *inputs))],
            [bool(v) for v in np.isfinite(got)],
            lambda a, b: a == b,
        ),
    )


# ---------------------------------------------------------------- train_step
def _train_images():
    return seeded_rng("train step images").random((6, 4, 4, 1)).astype(np.float32)


_STEPS = {}  # implementation label -> probe result, shared by the checks of one run


def _step(impl):
    key = repr(impl)
    if key not in _STEPS:
        _STEPS[key] = impl.probe("train_step", probes.one_train_step, _train_images(), 8, 17)
    return _STEPS[key]


def _step_of(ns):
    return probes.one_train_step(ns, _train_images(), 8, 17)


@pytest.mark.part("train_step")
def test_train_step_returns_the_loss_before_the_update(submission, reference, mistakes):
    """Does the step return (loss, reconstruction, kl) of the batch, with z from the sampler?"""
    mine, expected = _step(submission), _step(reference)
    explain = partial(
        mistakes.explain,
        "train_step",
        lambda ns: _step_of(ns)["returned"],
        mine["returned"],
        _close(),
    )
    check(
        len(mine["returned"]) == 3,
        _("step(images) must return (loss, reconstruction, kl), not {n} value(s).").format(
            n=len(mine["returned"])
        ),
        explain,
    )
    hint = ""
    if math.isclose(mine["returned"][2], expected["returned"][2], rel_tol=1e-4):
        hint = " " + _(
            "(The kl term is right but the reconstruction is not: decode z = sampler((mean, "
            "logvar)), not the mean, and call the sampler once.)"
        )
    assert_close(
        mine["returned"],
        expected["returned"],
        _(
            "What your step returns on a tiny VAE (vae_loss of the batch before the update, with "
            "z drawn by the sampler){hint}"
        ).format(hint=hint),
        1e-4,
        1e-4,
        explain,
    )


@pytest.mark.part("train_step")
def test_train_step_updates_both_networks_like_the_reference(submission, reference, mistakes):
    """After one SGD step, are all weights of both networks where the reference puts them?"""
    mine, expected = _step(submission), _step(reference)
    wrong = [
        name
        for name, a, b in zip(expected["names"], mine["weights"], expected["weights"], strict=True)
        if not np.allclose(a, b, rtol=1e-4, atol=1e-6)
    ]
    if wrong:
        fail(
            _(
                "After one step, {count} of the {total} variables of the encoder and decoder "
                "differ from one SGD step on the negative ELBO (for example {names}). Compute "
                "vae_loss under the tape and apply its gradients to encoder.trainable_variables "
                "+ decoder.trainable_variables."
            ).format(count=len(wrong), total=len(expected["names"]), names=", ".join(wrong[:3])),
            lambda: mistakes.explain(
                "train_step", lambda ns: _step_of(ns)["weights"], mine["weights"], _close()
            ),
        )


@pytest.mark.part("train_step")
def test_train_step_lowers_the_loss(submission, mistakes):
    """With the same noise, is the loss lower after the step?"""
    mine = _step(submission)
    check(
        mine["after"] < mine["before"],
        _(
            "One training step should lower the negative ELBO on its own batch (same noise), but "
            "it went from {before:.4f} to {after:.4f}. Minimise the loss: "
            "optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))."
        ).format(before=mine["before"], after=mine["after"]),
        lambda: mistakes.explain(
            "train_step", lambda ns: _step_of(ns)["after"] >= mine["before"], True
        ),
    )


# ---------------------------------------------------------------- generation
def _prior_stats(ns):
    a, b, c = probes.prior_codes(ns, 20_000, 3, [5, 5, 6])
    return _prior_summary(a, b, c)


def _prior_summary(a, b, c):
    a = np.asarray(a, np.float64)
    return {
        "shape": list(a.shape),
        "mean_ok": bool(np.all(np.abs(a.mean(axis=0)) < 0.05)),
        "std_ok": bool(np.all(np.abs(a.std(axis=0) - 1) < 0.04)),
        "same_seed": bool(np.shape(a) == np.shape(b) and np.allclose(a, b)),
        "other_seed": bool(np.shape(a) != np.shape(c) or not np.allclose(a, c)),
    }


@pytest.mark.part("generation")
def test_sample_prior_draws_from_the_standard_normal(submission, mistakes):
    """With an identity decoder, are the codes N(0, I), reproducible per seed?"""
    a, b, c = submission.probe("generation", probes.prior_codes, 20_000, 3, [5, 5, 6])
    summary = _prior_summary(a, b, c)
    explain = partial(mistakes.explain, "generation", _prior_stats, summary, lambda x, y: x == y)
    check(
        summary["shape"] == [20_000, 3],
        _(
            "With a decoder that returns its input, sample_prior(decoder, 20000) should return "
            "shape (20000, 3) (the latent size comes from decoder.input_shape), not {shape}."
        ).format(shape=tuple(summary["shape"])),
        explain,
    )
    a = np.asarray(a, np.float64)
    check(
        summary["mean_ok"] and summary["std_ok"],
        _(
            "The codes your sample_prior decodes have mean {mean} and standard deviation {std}; "
            "the prior is the standard normal N(0, I): use keras.random.normal."
        ).format(
            mean=np.round(a.mean(axis=0), 3).tolist(), std=np.round(a.std(axis=0), 3).tolist()
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


def _pair(label):
    rng = seeded_rng(label)
    return rng.random((28, 28, 1)).astype(np.float32), rng.random((28, 28, 1)).astype(np.float32)


@pytest.mark.part("generation")
def test_interpolation_walks_between_the_means(submission, reference, mistakes):
    """Does interpolate decode the straight line between the two encodings' means?"""
    a, b = _pair("interpolation images")
    for steps, identity in ((6, True), (4, False)):
        args = (a, b, steps, 4, "interpolation", identity)
        got = submission.probe("generation", probes.interpolation, *args)
        expected = reference.probe("generation", probes.interpolation, *args)
        what = (
            _(
                "With a decoder that returns its input, interpolate(encoder, decoder, a, b, "
                "steps={steps}) (the codes (1 - t) * mean_a + t * mean_b for t = "
                "np.linspace(0, 1, steps))"
            )
            if identity
            else _(
                "interpolate(encoder, decoder, a, b, steps={steps}) with a sigmoid decoder (the "
                "decodings of the codes between the means, not a mix of pixels)"
            )
        ).format(steps=steps)
        assert_close(
            got,
            expected,
            what,
            1e-4,
            1e-5,
            partial(
                mistakes.explain,
                "generation",
                lambda ns, args=args: probes.interpolation(ns, *args),
                got,
                _close(),
            ),
        )


# ---------------------------------------------------------------- the handed-in model
SETTINGS = "vae.json"  # saved by the notebook after its training run
ENCODER_WEIGHTS = "vae_encoder.weights.h5"
DECODER_WEIGHTS = "vae_decoder.weights.h5"
HANDED_IN_TEST_IMAGES = 1000
HANDED_IN_SAMPLES = 1000


def _threshold(name):
    from pathlib import Path

    from igcourse.config import load_config

    root = Path(__file__).resolve().parents[2]
    return load_config(root).quality.thresholds["ch02_vae"][name]


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


@pytest.mark.handed_in
@pytest.mark.part("train_step")
def test_the_handed_in_vae_meets_the_reference_thresholds(submission):
    """Does the VAE the notebook trained and saved reach the course's test negative ELBO and
    the Frechet distance of its samples?"""
    from igcourse.data import load_fashion_mnist
    from igcourse.data.fashion_mnist import DatasetNotFound

    try:
        test_images, _labels = load_fashion_mnist("test")
    except DatasetNotFound as error:
        pytest.skip(str(error))
    images = (test_images[:HANDED_IN_TEST_IMAGES] / 255.0).astype(np.float32)[..., None]
    noise = seeded_rng("handed-in noise").normal(size=(len(images), 16)).astype(np.float32)
    codes = seeded_rng("handed-in codes").normal(size=(HANDED_IN_SAMPLES, 16)).astype(np.float32)
    result = submission.probe(
        "train_step",
        probes.handed_in_model,
        SETTINGS,
        ENCODER_WEIGHTS,
        DECODER_WEIGHTS,
        images,
        noise,
        codes,
    )
    if "missing" in result:
        fail(
            _(
                "No trained model was handed in: run the training cells of the notebook to the end "
                "(they save {files} next to it) and submit these files with the notebook."
            ).format(files=", ".join((SETTINGS, ENCODER_WEIGHTS, DECODER_WEIGHTS)))
        )
    if "error" in result:
        fail(
            _(
                "The saved weights do not fit the networks that build_encoder and build_decoder "
                "build with the settings in {settings} ({error}). Save them from the same run, "
                "with the cell that saves them."
            ).format(settings=SETTINGS, error=result["error"])
        )
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
    from igcourse.evaluation.classifier import load_evaluator
    from igcourse.evaluation.frechet import fit_gaussian, frechet_distance
    from igcourse.evaluation.reference import reference_features

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
