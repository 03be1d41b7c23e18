"""Hidden checks of pixel_probabilities: quantising, the per-pixel model, sampling, bits/dim.

Inputs are seeded and differ from the public checks'. Each part is checked with the
reference's definitions of the other parts (see PART_NAMES). Every call of the code under
test goes through a probe (probes_pixel_probabilities.py), which returns plain data; the
checks here judge that data.
"""

import math
from functools import partial

import numpy as np
import probes_pixel_probabilities as probes
import pytest
from sampling_evidence import frequency_hint, shown_share

from igcourse.grading.checks import assert_close, assert_shape, check, fail, seeded_rng
from igcourse.grading.mutants import to_numpy
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "quantize": ["quantize"],
    "pixel_model": ["fit_pixel_model"],
    "pixel_sampling": ["sample_pixel_model"],
    "pixel_bits_per_dim": ["pixel_model_bits_per_dim"],
    "mix_pixels": ["mix_pixels"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch01_pixelcnn", PART_NAMES, probes)


def _random_probs(rng, shape, levels):
    return rng.dirichlet(np.full(levels, 0.7), size=shape)  # (*shape, levels)


def _close_within(tolerance):
    def same(a, b):
        a, b = to_numpy(a), to_numpy(b)
        return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tolerance))

    return same


# ---------------------------------------------------------------- quantize
# Matched on every level count at once: some slips agree wherever L divides 255 (dividing by
# 255, or by the bin width 256 // L) and part only where it does not (L = 7).
_QUANTIZE_LEVELS = (2, 3, 4, 7, 256)


def _quantize_outputs(run):
    """run(levels) for each level count of _QUANTIZE_LEVELS; an error counts by its name."""
    outputs = []
    for levels in _QUANTIZE_LEVELS:
        try:
            outputs.append(to_numpy(run(levels)))
        except Exception as error:  # noqa: BLE001 (a crash on one level count is evidence too)
            outputs.append(type(error).__name__)
    return outputs


def _quantize_explanation(submission, mistakes, images):
    """explain() for quantize: the known mistake that gives the submission's levels (or its
    errors) for every level count of _QUANTIZE_LEVELS, or ""."""

    def explain():
        yours = _quantize_outputs(
            lambda levels: submission.probe("quantize", probes.quantize, images, levels)
        )
        return mistakes.explain(
            "quantize",
            lambda ns: _quantize_outputs(lambda levels: probes.quantize(ns, images, levels)),
            yours,
        )

    return explain


@pytest.mark.part("quantize")
def test_quantize_is_floor_of_scaled_value(submission, reference, mistakes):
    """Does quantize(images, levels) equal floor(images * levels / 256) for every pixel value?"""
    images = seeded_rng("quantize values").integers(0, 256, size=(6, 5, 7), dtype=np.uint8)
    images[0, 0, :] = [0, 1, 127, 128, 254, 255, 64]
    for levels in _QUANTIZE_LEVELS:
        out = submission.probe("quantize", probes.quantize, images, levels)
        assert_close(
            out,
            reference.probe("quantize", probes.quantize, images, levels),
            _("quantize(images, {levels}) on uint8 images").format(levels=levels),
            0,
            0,
            explain=_quantize_explanation(submission, mistakes, images),
        )
    # "Integer array of any shape": int32 images too, and the caller's array stays as it was.
    wide = images.astype(np.int32)
    result = submission.probe("quantize", probes.quantize_keeps_input, wide, 4)
    assert_close(
        result["out"],
        reference.probe("quantize", probes.quantize, wide, 4),
        _("quantize(images, 4) on int32 images"),
        0,
        0,
    )
    check(
        not result["changed"],
        _(
            "quantize(images, 4) changed the caller's int32 images in place: after the call they "
            "hold other values. Work on a copy (np.asarray keeps an int32 array as it is, so "
            "*= or //= on it writes into the caller's array)."
        ),
        lambda: mistakes.explain(
            "quantize",
            lambda ns: probes.quantize_keeps_input(ns, wide, 4)["changed"],
            True,
        ),
    )


@pytest.mark.part("quantize")
def test_quantize_returns_integer_levels(submission, mistakes):
    """Are the levels integers from 0 to levels - 1, with 0 -> 0 and 255 -> levels - 1?"""
    images = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    for levels in (2, 5):
        out = to_numpy(submission.probe("quantize", probes.quantize, images, levels))
        explain = _quantize_explanation(submission, mistakes, images)
        check(
            out.dtype.kind in "iu",
            _(
                "quantize should return integers (use an integer dtype such as int32), not {dtype}."
            ).format(dtype=out.dtype),
            explain,
        )
        check(
            out.min() == 0 and out.max() == levels - 1,
            _(
                "quantize(images, {levels}) should use exactly the levels 0 to {top}: pixel 0 is "
                "level 0 and pixel 255 is level {top}; yours range from {low} to {high}."
            ).format(levels=levels, top=levels - 1, low=out.min(), high=out.max()),
            explain,
        )


# ---------------------------------------------------------------- pixel_model
def _fit(images, levels, alpha):
    return partial(probes.fit_pixel_model, images=images, levels=levels, alpha=alpha)


@pytest.mark.part("pixel_model")
def test_fit_pixel_model_matches_smoothed_counts(submission, reference, mistakes):
    """Is each probability (count + alpha) / (N + alpha * levels), per pixel and level?"""
    rng = seeded_rng("pixel model fit")
    images = rng.integers(0, 4, size=(37, 5, 6)).astype(np.int32)
    images[:, 0, 0] = 2  # one pixel with a single level: its other levels are never seen
    # Quantised uint8 images (an int array too), more than 255 of them: counts must not wrap.
    many = rng.integers(0, 4, size=(300, 2, 3)).astype(np.uint8)
    many[:, 1, 1] = 3  # a count of 300 at this pixel
    for case, alpha in ((images, 1.0), (images, 0.5), (many, 1.0)):
        out = submission.probe("pixel_model", probes.fit_pixel_model, case, 4, alpha=alpha)
        assert_close(
            out,
            reference.probe("pixel_model", probes.fit_pixel_model, case, 4, alpha=alpha),
            _(
                "fit_pixel_model(images of shape {shape} and type {dtype}, 4, "
                "alpha={alpha}){formula}"
            ).format(
                shape=case.shape,
                dtype=case.dtype,
                alpha=alpha,
                formula=_formula_hint(case, 4, alpha, out),
            ),
            1e-9,
            1e-12,
            explain=partial(mistakes.explain, "pixel_model", _fit(case, 4, alpha), out),
        )


def _formula_hint(images, levels, alpha, out):
    """Where the result is (count + a) / d for one a and d at every pixel and level, say which a
    and d: naming the formula, whatever the code that computed it ("" otherwise)."""
    out = to_numpy(out).astype(np.float64)
    images = np.asarray(images)
    counts = (images[..., None] == np.arange(levels)).sum(axis=0).astype(np.float64)
    if out.shape != counts.shape or not np.all(np.isfinite(out)):
        return ""
    slope, intercept = np.polyfit(counts.ravel(), out.ravel(), 1)
    if abs(slope) < 1e-12 or not np.allclose(slope * counts + intercept, out, atol=1e-9):
        return ""
    pseudo, total = intercept / slope, 1 / slope
    pseudo = 0.0 if abs(pseudo) < 1e-9 else pseudo  # round-off of a fit with no pseudo-count
    expected_total = len(images) + alpha * levels
    if math.isclose(pseudo, alpha, rel_tol=1e-4) and math.isclose(
        total, expected_total, rel_tol=1e-4
    ):
        return ""  # the formula is the task's: the difference is elsewhere (the precision)
    return _(
        ": yours computes (count + {a:.6g}) / {d:.6g} for every pixel and level; the task's "
        "formula is (count + alpha) / (N + alpha * levels) = (count + {alpha:g}) / {expected:g}"
    ).format(a=pseudo, d=total, alpha=alpha, expected=expected_total)


@pytest.mark.part("pixel_model")
def test_pixel_probabilities_sum_to_one(submission, mistakes):
    """Is the result a float64 (H, W, levels) array whose levels sum to 1 at every pixel?"""
    images = seeded_rng("pixel model sums").integers(0, 3, size=(20, 4, 3)).astype(np.int32)
    out = to_numpy(submission.probe("pixel_model", probes.fit_pixel_model, images, 3, alpha=1.0))
    explain = partial(mistakes.explain, "pixel_model", _fit(images, 3, 1.0), out)
    assert_shape(out, (4, 3, 3), _("fit_pixel_model(images of shape (20, 4, 3), 3)"), explain)
    check(
        out.dtype == np.float64,
        _("fit_pixel_model should return float64 probabilities, not {dtype}.").format(
            dtype=out.dtype
        ),
    )
    sums = out.sum(axis=-1)
    check(
        np.allclose(sums, 1.0, atol=1e-9),
        _(
            "The probabilities of the levels of one pixel should sum to 1, but at pixel (0, 0) "
            "they sum to {total:.6g}. Divide by N + alpha * levels, the total of the smoothed "
            "counts."
        ).format(total=sums[0, 0]),
        explain,
    )


@pytest.mark.part("pixel_model")
def test_smoothing_gives_unseen_levels_a_small_probability(submission, mistakes):
    """With alpha = 1, does a level never seen get 1 / (N + levels), and with alpha = 0 nothing?"""
    images = np.zeros((10, 2, 3), dtype=np.int32)
    expected = {1.0: [11 / 13, 1 / 13, 1 / 13], 0.0: [1.0, 0.0, 0.0]}
    for alpha, probs in expected.items():
        out = to_numpy(_fit_unseen_levels(submission, images, alpha))
        explain = partial(mistakes.explain, "pixel_model", _fit(images, 3, alpha), out)
        check(
            out.shape != (2, 3, 1),
            _(
                "fit_pixel_model on 10 all-zero images with 3 levels returned one level per "
                "pixel, shape (2, 3, 1): only the levels that occur in the images. The table "
                "has every one of the `levels` levels, seen or not: shape (2, 3, 3)."
            ),
            explain,
        )
        assert_close(
            out,
            np.broadcast_to(np.array(probs), (2, 3, 3)),
            _(
                "fit_pixel_model on 10 all-zero images with 3 levels and alpha={alpha} (the "
                "probabilities should be {probs})"
            ).format(alpha=alpha, probs=", ".join(f"{p:.4f}" for p in probs)),
            1e-9,
            1e-12,
            explain=explain,
        )


def _fit_unseen_levels(submission, images, alpha):
    """fit_pixel_model on images in which some levels never occur, with a named failure when it
    raises there yet works once every level occurs (counts that stop at the largest level)."""
    try:
        return submission.probe("pixel_model", probes.fit_pixel_model, images, 3, alpha=alpha)
    except Exception as error:
        every_level = images.copy()
        every_level[:3] = np.arange(3)[:, None, None]  # each level at every pixel
        try:
            submission.probe("pixel_model", probes.fit_pixel_model, every_level, 3, alpha=alpha)
        except Exception:  # noqa: BLE001 (it fails there too: the error is not about unseen levels)
            raise error from None
        fail(
            _(
                "fit_pixel_model raised an error on 10 all-zero images with 3 levels ({error}), "
                "yet works once every level occurs at every pixel: your counts stop at the "
                "largest level seen. Count every level, seen or not (np.bincount, for one, "
                "counts only up to the largest value it is given unless minlength says more)."
            ).format(error=" ".join(str(error).split())[:200])
        )


# ---------------------------------------------------------------- pixel_sampling
@pytest.mark.part("pixel_sampling")
def test_samples_have_shape_and_valid_levels(submission, mistakes):
    """Does sample_pixel_model return n integer images with levels in range?"""
    probs = _random_probs(seeded_rng("sampling shape"), (4, 5), 3)
    out = to_numpy(submission.probe("pixel_sampling", probes.sample_pixel_model, probs, 7, 11))
    assert_shape(out, (7, 4, 5), _("sample_pixel_model(probs of shape (4, 5, 3), n=7, rng)"))
    check(
        out.dtype.kind in "iu",
        _("Samples should be integer levels, not {dtype}.").format(dtype=out.dtype),
    )
    check(
        out.min() >= 0 and out.max() <= 2,
        _(
            "Sampled levels should lie in 0..2 for 3 levels; yours range from {low} to {high}."
        ).format(low=out.min(), high=out.max()),
    )


@pytest.mark.part("pixel_sampling")
def test_sampling_leaves_the_probabilities_unchanged(submission, mistakes):
    """Is the caller's probs array as it was after sampling (the notebook samples the same
    table again)? Its rows sum to 1 only up to round-off, as a fitted table's do, so that
    renormalising the caller's array in place changes it too."""
    rng = seeded_rng("sampling input")
    probs = _random_probs(rng, (3, 4), 3)
    probs = probs * (1 + rng.uniform(-1e-12, 1e-12, size=probs.shape))
    out = submission.probe("pixel_sampling", probes.probs_after_sampling, probs, 5, 2)
    if tuple(out["shape"]) != (5, 3, 4):  # code that samples nothing earns nothing here
        pytest.skip(_("judged once sample_pixel_model returns samples of shape (n, H, W)"))
    after = to_numpy(out["after"])
    check(
        after.shape == probs.shape and np.array_equal(after, probs),
        _(
            "sample_pixel_model changed the probs array it was given (in place): work on a copy, "
            "so that the caller's table stays as it was."
        ),
        lambda: mistakes.explain(
            "pixel_sampling",
            lambda ns: probes.probs_after_sampling(ns, probs, 5, 2)["after"],
            after,
            _same_array,
        ),
    )


def _same_array(a, b):
    """Equal to round-off: the same change made to the caller's table."""
    a, b = to_numpy(a), to_numpy(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-15, atol=0))


def _level_frequencies(samples, levels):
    samples = to_numpy(samples)
    return (samples[..., None] == np.arange(levels)).mean(axis=0)  # (H, W, levels)


@pytest.mark.part("pixel_sampling")
def test_sample_frequencies_match_probabilities(submission, mistakes):
    """Over many samples, does each level appear about as often as its probability says?"""
    probs = _random_probs(seeded_rng("sampling frequencies"), (3, 4), 3)
    n = 4000
    freq = _level_frequencies(
        submission.probe("pixel_sampling", probes.sample_pixel_model, probs, n, 5), 3
    )
    tolerance = 5 * np.sqrt(probs * (1 - probs) / n) + 0.005
    bad = np.abs(freq - probs) > tolerance
    if bad.any():
        h, w, level = (int(i) for i in np.argwhere(bad)[0])
        fail(
            _(
                "Over {n} samples, level {level} of pixel ({h}, {w}) came up with frequency "
                "{freq:.3f}, but its probability is {p:.3f}.{hint}"
            ).format(
                n=n,
                level=level,
                h=h,
                w=w,
                freq=freq[h, w, level],
                p=probs[h, w, level],
                hint=frequency_hint(freq, probs, tolerance),
            ),
            lambda: mistakes.explain(
                "pixel_sampling",
                lambda ns: _level_frequencies(probes.sample_pixel_model(ns, probs, n, 5), 3),
                freq,
                _close_within(2 * tolerance),
            ),
        )


def _max_pixel_correlation(samples):
    flat = to_numpy(samples).reshape(len(samples), -1).astype(np.float64)
    std = flat.std(axis=0)
    if np.any(std == 0):
        return float("inf")
    corr = np.corrcoef(flat, rowvar=False)
    return float(np.max(np.abs(corr - np.eye(len(corr)))))


@pytest.mark.part("pixel_sampling")
def test_pixels_are_sampled_independently(submission, mistakes):
    """Is each pixel drawn with its own random number, independent of the other pixels?"""
    probs = np.full((3, 4, 2), 0.5)
    n = 3000
    samples = to_numpy(submission.probe("pixel_sampling", probes.sample_pixel_model, probs, n, 8))
    # One value everywhere says nothing about shared draws (an off-by-one gives it too).
    check(
        np.unique(samples).size > 1,
        _(
            "With every pixel 0 or 1 with probability 1/2, every pixel of all {n} of your "
            "samples is {value}: half of them should be 0 and half 1."
        ).format(n=n, value=samples.flat[0]),
    )
    check(
        not np.all(samples == samples[:1]),
        _(
            "With every pixel 0 or 1 with probability 1/2, all {n} of your samples are the same "
            "image: each sample needs its own random draws."
        ).format(n=n),
    )
    corr = _max_pixel_correlation(samples)
    check(
        np.isfinite(corr),
        _(
            "With every pixel 0 or 1 with probability 1/2, some pixel of your samples has the "
            "same value in all {n} of them."
        ).format(n=n),
    )
    check(
        corr < 0.12,
        _(
            "With every pixel 0 or 1 with probability 1/2, the pixels of your samples are "
            "correlated (largest correlation {corr:.2f}); independent pixels have correlations "
            "near 0."
        ).format(corr=corr),
        lambda: mistakes.explain(
            "pixel_sampling",
            lambda ns: _max_pixel_correlation(probes.sample_pixel_model(ns, probs, n, 8)),
            corr,
            lambda a, b: abs(a - b) < 0.1,
        ),
    )


REPRODUCIBLE_SEEDS = [1, 1, 1, 2]


def _reproducible(samples):
    """(seed 1 twice gives the same, seeds 1 and 2 differ) from samples of REPRODUCIBLE_SEEDS."""
    first, again, third, other = (to_numpy(s) for s in samples)
    same = np.array_equal(first, again)
    different = not np.array_equal(third, other)
    return same, different


@pytest.mark.part("pixel_sampling")
def test_sampling_uses_the_given_rng(submission, mistakes):
    """Do two generators with the same seed give the same samples, and other seeds others?"""
    probs = _random_probs(seeded_rng("sampling rng"), (4, 4), 3)

    def run(ns):
        return _reproducible(probes.samples_for_seeds(ns, probs, 6, REPRODUCIBLE_SEEDS))

    result = _reproducible(
        submission.probe("pixel_sampling", probes.samples_for_seeds, probs, 6, REPRODUCIBLE_SEEDS)
    )
    same, different = result
    check(
        same,
        _(
            "sample_pixel_model must draw all its random numbers from the rng it is given, but "
            "two generators with the same seed gave different samples: some random numbers come "
            "from elsewhere. Use rng.random or rng.integers, not np.random."
        ),
        lambda: mistakes.explain("pixel_sampling", run, result, lambda a, b: a == b),
    )
    # The same samples for other seeds: nothing says where the randomness went (no draw at all,
    # a fixed seed of its own, noise that cancels), so the message says only what was seen.
    check(
        different,
        _(
            "Generators with different seeds gave the same samples: your samples do not depend "
            "on the random numbers of the rng they are given."
        ),
        lambda: mistakes.explain("pixel_sampling", run, result, lambda a, b: a == b),
    )
    untouched = submission.probe("pixel_sampling", probes.leaves_global_rng_alone, probs, 6, 1)
    check(
        untouched,
        _(
            "sample_pixel_model changed NumPy's global random state (np.random.seed, or a draw "
            "from np.random): the task asks never to call the global np.random functions, "
            "since they change every other user's random numbers. Draw from the rng argument "
            "only."
        ),
        # With whether same seeds reproduce: drawing from np.random and reseeding it both
        # touch the global state, only the second reproduces.
        lambda: mistakes.explain(
            "pixel_sampling",
            lambda ns: (probes.leaves_global_rng_alone(ns, probs, 6, 1), run(ns)),
            (untouched, result),
            lambda a, b: a == b,
        ),
    )


# ---------------------------------------------------------------- pixel_bits_per_dim
@pytest.mark.part("pixel_bits_per_dim")
def test_bits_per_dim_matches_reference(submission, reference, mistakes):
    """Is the result the mean of -log2 probs[h, w, x] over images and pixels?"""
    rng = seeded_rng("pixel bits")
    probs = _random_probs(rng, (5, 4), 4)
    images = rng.integers(0, 4, size=(9, 5, 4)).astype(np.int32)
    part, probe = "pixel_bits_per_dim", probes.pixel_model_bits_per_dim
    out = submission.probe(part, probe, probs, images)
    expected = reference.probe(part, probe, probs, images)
    assert_close(
        np.asarray(to_numpy(out), dtype=np.float64),
        expected,
        _("pixel_model_bits_per_dim(probs, images)"),
        1e-7,
        1e-9,
        explain=lambda: mistakes.explain(part, partial(probe, probs=probs, images=images), out),
    )


@pytest.mark.part("pixel_bits_per_dim")
def test_bits_per_dim_on_images_of_the_datasets_size(submission, reference, mistakes):
    """On 28x28 images with 4 levels (784 pixels an image), is the result still the mean of
    -log2 probs[h, w, x], finite where no probability is 0?"""
    rng = seeded_rng("pixel bits full size")
    probs = _random_probs(rng, (28, 28), 4)
    images = rng.integers(0, 4, size=(3, 28, 28)).astype(np.int32)
    part, probe = "pixel_bits_per_dim", probes.pixel_model_bits_per_dim
    out = np.asarray(to_numpy(submission.probe(part, probe, probs, images)), dtype=np.float64)
    expected = reference.probe(part, probe, probs, images)
    explain = partial(mistakes.explain, part, partial(probe, probs=probs, images=images), out)
    check(
        not (out.shape == () and np.isinf(out)),
        _(
            "pixel_model_bits_per_dim on 3 images of 28x28 pixels with 4 levels is infinite, "
            "but should be {expected:.5g}. Every probability of the table is at least "
            "{least:.3g}, so an infinity can only come from an underflow: the product of an "
            "image's 784 probabilities is below the smallest float64. Average the logs of the "
            "probabilities instead of taking the log of a product."
        ).format(expected=float(expected), least=float(probs.min())),
        explain,
    )
    # The table read at (w, h) for pixel (h, w): square images give a value, not an error.
    transposed = reference.probe(part, probe, probs.transpose(1, 0, 2).copy(), images)
    check(
        not (out.shape == () and math.isclose(float(out), float(transposed), rel_tol=1e-9)),
        _(
            "pixel_model_bits_per_dim on 3 images of 28x28 pixels with 4 levels is {got:.6g}, "
            "but should be {expected:.6g}. Yours is the value of the table read at (w, h) for "
            "the pixel at row h, column w: rows and columns are swapped."
        ).format(got=float(out) if out.shape == () else 0.0, expected=float(expected)),
    )
    assert_close(
        out,
        expected,
        _("pixel_model_bits_per_dim on 3 images of 28x28 pixels with 4 levels"),
        1e-7,
        1e-9,
        explain=explain,
    )


@pytest.mark.part("pixel_bits_per_dim")
def test_uniform_model_costs_log2_levels_bits(submission, mistakes):
    """Does a model that gives every level probability 1/L cost exactly log2(L) bits per pixel?"""
    part, probe = "pixel_bits_per_dim", probes.pixel_model_bits_per_dim
    for levels in (2, 5):
        probs = np.full((3, 4, levels), 1.0 / levels)
        images = seeded_rng("pixel bits uniform").integers(0, levels, size=(6, 3, 4))
        out = submission.probe(part, probe, probs, images)
        explain = partial(mistakes.explain, part, partial(probe, probs=probs, images=images), out)
        check(
            np.ndim(to_numpy(out)) == 0,
            _(
                "pixel_model_bits_per_dim should return one number, the mean over all images and "
                "pixels, not an array of shape {shape}."
            ).format(shape=np.shape(to_numpy(out))),
            explain,
        )
        check(
            math.isclose(float(to_numpy(out)), math.log2(levels), rel_tol=1e-6),
            _(
                "With {levels} equally likely levels every pixel costs log2({levels}) = {bits:.4f} "
                "bits, but yours gives {value:.4f}. Use log base 2 and average over images and "
                "pixels."
            ).format(levels=levels, bits=math.log2(levels), value=float(to_numpy(out))),
            explain,
        )


@pytest.mark.part("pixel_bits_per_dim")
def test_a_zero_probability_costs_infinitely_many_bits(submission, mistakes):
    """Does an image with a level of probability 0 cost -log2 0 = infinitely many bits?"""
    part, probe = "pixel_bits_per_dim", probes.pixel_model_bits_per_dim
    rng = seeded_rng("pixel bits zero")
    probs = _random_probs(rng, (3, 4), 3)
    images = rng.integers(0, 3, size=(5, 3, 4)).astype(np.int32)
    row, col = int(rng.integers(0, 3)), int(rng.integers(0, 4))
    level = int(images[0, row, col])
    probs[row, col] = 0.5  # the other two levels share the mass: the table still sums to 1
    probs[row, col, level] = 0.0
    out = submission.probe(part, probe, probs, images)
    value = float(np.asarray(to_numpy(out), dtype=np.float64))
    smooth = probs.copy()  # the same table without its zero
    smooth[row, col] = 1.0 / 3
    smooth_out = submission.probe(part, probe, smooth, images)
    rows, cols = np.indices((3, 4))
    right_without_zero = math.isclose(
        float(np.asarray(to_numpy(smooth_out), np.float64)),
        float(np.mean(-np.log2(smooth[rows, cols, images]))),
        rel_tol=1e-6,
    )
    finite = _(
        " A finite value means the zero was changed before the log (a small number added, or "
        "clipping): take the log of the probabilities as they are; the infinity is what tells "
        "you that the model needs smoothing."
    )
    check(
        value == math.inf,
        _(
            "One pixel of one image has a level of probability 0 under the model, so that image "
            "costs -log2 0 = infinitely many bits and so does the mean; your "
            "pixel_model_bits_per_dim gives {value:.4g}.{hint}"
        ).format(value=value, hint=finite if math.isfinite(value) and right_without_zero else ""),
        # Matched on the table without its zero too: a mistake that gives nan here is named
        # only if it also gives what this code gives where no probability is 0.
        lambda: mistakes.explain(
            part,
            lambda ns: [probe(ns, probs, images), probe(ns, smooth, images)],
            [out, smooth_out],
        ),
    )


# ---------------------------------------------------------------- mix_pixels
_MIX_COUNT, _MIX_H, _MIX_W = 5, 4, 6


def _labelled_images():
    """Images whose values say where they come from: 100 * image index + pixel index."""
    index = np.arange(_MIX_COUNT)[:, None, None] * 100
    pixel = np.arange(_MIX_H * _MIX_W).reshape(1, _MIX_H, _MIX_W)
    return (index + pixel).astype(np.int64)


def _mix_statistics(mixed):
    """(copied from the same position?, neighbour agreement across columns, rows, samples)."""
    mixed = to_numpy(mixed)
    source = mixed // 100
    same_position = bool(np.all(mixed % 100 == np.arange(_MIX_H * _MIX_W).reshape(_MIX_H, _MIX_W)))
    return (
        same_position,
        float(np.mean(source[:, :, 1:] == source[:, :, :-1])),
        float(np.mean(source[:, 1:] == source[:, :-1])),
        float(np.mean(source[1:] == source[:-1])),
    )


def _source_shares(mixed):
    """How often each of the labelled images was chosen as a source."""
    mixed = to_numpy(mixed)
    counts = np.bincount((mixed // 100).ravel().clip(0, _MIX_COUNT), minlength=_MIX_COUNT + 1)
    return counts[:_MIX_COUNT] / mixed.size


@pytest.mark.part("mix_pixels")
def test_mixed_pixels_come_from_the_same_position(submission, mistakes):
    """Is every output pixel (h, w) the pixel (h, w) of one of the input images?"""
    images = _labelled_images()
    mixed = to_numpy(submission.probe("mix_pixels", probes.mix_pixels, images, 50, 3))
    assert_shape(mixed, (50, _MIX_H, _MIX_W), _("mix_pixels(images, n=50, rng)"))
    check(
        np.isin(mixed // 100, np.arange(_MIX_COUNT)).all() and _mix_statistics(mixed)[0],
        _(
            "Every pixel (h, w) of a mixed image should be the pixel (h, w) of one input image; "
            "some of yours are not (values moved to another position, or not copied at all)."
        ),
        lambda: mistakes.explain(
            "mix_pixels",
            lambda ns: _mix_statistics(probes.mix_pixels(ns, images, 50, 3))[0],
            False,
        ),
    )


@pytest.mark.part("mix_pixels")
def test_each_pixel_picks_its_own_image(submission, mistakes):
    """Is the source image drawn separately for every pixel of every sample?"""
    images = _labelled_images()

    def stats(ns):
        return _mix_statistics(probes.mix_pixels(ns, images, 300, 4))

    result = _mix_statistics(submission.probe("mix_pixels", probes.mix_pixels, images, 300, 4))
    expected = 1 / _MIX_COUNT
    agreements = np.array(result[1:])
    check(
        np.all(np.abs(agreements - expected) < 0.06),
        _(
            "Each pixel of each sample should come from its own randomly chosen image: two "
            "neighbouring pixels should share a source about {p:.0%} of the time, but in your "
            "samples neighbours across columns, across rows and across samples share it "
            "{a}, {b} and {c} of the time. Draw one image index per (sample, row, column)."
        ).format(p=expected, **dict(zip("abc", (shown_share(v) for v in agreements), strict=True))),
        lambda: mistakes.explain("mix_pixels", stats, result, _close_within(0.05)),
    )


@pytest.mark.part("mix_pixels")
def test_sources_are_uniform_and_reproducible(submission, mistakes):
    """Is every image an equally likely source, drawn from the given rng?"""
    images = _labelled_images()
    freq = _source_shares(submission.probe("mix_pixels", probes.mix_pixels, images, 300, 6))
    hint = ""
    if freq[-1] == 0 and np.all(freq[:-1] > 0):
        hint = _(
            " The last image is never chosen: rng.integers(low, high) excludes high, so "
            "draw with rng.integers(0, number of images)."
        )
    check(
        np.all(np.abs(freq - 1 / _MIX_COUNT) < 0.03),
        _(
            "Every input image should be chosen equally often; yours are chosen with frequencies "
            "{freq}.{hint}"
        ).format(freq=", ".join(f"{f:.2f}" for f in freq), hint=hint),
        lambda: mistakes.explain(
            "mix_pixels",
            lambda ns: _source_shares(probes.mix_pixels(ns, images, 300, 6)),
            freq,
            lambda a, b: bool(np.allclose(a, b, atol=0.02)),
        ),
    )

    def run(ns):
        return _reproducible(probes.mixes_for_seeds(ns, images, 6, REPRODUCIBLE_SEEDS))

    result = _reproducible(
        submission.probe("mix_pixels", probes.mixes_for_seeds, images, 6, REPRODUCIBLE_SEEDS)
    )
    check(
        result == (True, True),
        _(
            "mix_pixels must draw its random choices from the rng it is given: generators with "
            "the same seed should give the same images, other seeds other images."
        ),
        lambda: mistakes.explain("mix_pixels", run, result, lambda a, b: a == b),
    )
