"""Hidden checks of latent_editing: encoding a dataset, latent statistics, attribute vectors over
the whole dataset, latent arithmetic and sampling with the data's statistics.

Values are compared with the reference through the same probes on seeded inputs (a seeded
encoder, a latent set with known structure), drawn with the grading salt. attribute_vectors is
checked with the stand-in encode_means of probes_latent_editing.STAND_INS, so that a mistake in
encode_means costs that part only.
"""

from functools import partial

import numpy as np
import probes_latent_editing as probes
import pytest

from igcourse.grading.checks import assert_close, check, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "encode_means": ["encode_means"],
    "latent_statistics": ["latent_statistics"],
    "attribute_vectors": ["attribute_vectors"],
    "latent_arithmetic": ["edit_codes"],
    "sample_from_statistics": ["sample_from_statistics"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch02_vae", PART_NAMES, probes)


def _same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, 1e-4, 1e-5))


def _as_part(ns, part):
    """A zoo mutant's code as the check's probe sees it: with the part's stand-ins."""
    return ns.for_part(part, probes) if hasattr(ns, "for_part") else ns


def _images(label, n):
    return seeded_rng(label).random((n, 28, 28, 1)).astype(np.float32)


# ---------------------------------------------------------------- encode_means
@pytest.mark.part("encode_means")
def test_every_image_is_encoded_to_its_mean(submission, mistakes):
    """Does encode_means return the encoder's means of all images, in order, batch by batch?"""
    images = _images("encode images", 23)
    for batch_size in (5, 23, 100):
        args = (images, batch_size, 4, "encode encoder")
        out = submission.probe("encode_means", probes.encoded, *args)
        assert_close(
            out["codes"],
            out["means"],
            _(
                "encode_means(encoder, images, batch_size={batch_size}) on 23 images (it should "
                "be the encoder's means of every image, in order, the last smaller batch included)"
            ).format(batch_size=batch_size),
            1e-5,
            1e-6,
            partial(
                mistakes.explain,
                "encode_means",
                lambda ns, args=args: probes.encoded(ns, *args)["codes"],
                out["codes"],
                _same,
            ),
        )


# ---------------------------------------------------------------- latent_statistics
def _latent_set():
    """Codes (300, 5) with a different mean and spread in each dimension."""
    rng = seeded_rng("latent set")
    return rng.normal([0.5, -2.0, 0.0, 1.0, 3.0], [1.0, 0.3, 2.0, 0.7, 1.5], size=(300, 5))


@pytest.mark.part("latent_statistics")
def test_statistics_per_latent_dimension(submission, mistakes):
    """Are the mean and standard deviation taken over the codes, per latent dimension?"""
    codes = _latent_set()
    got = submission.probe("latent_statistics", probes.statistics, codes)
    explain = partial(
        mistakes.explain, "latent_statistics", partial(probes.statistics, codes=codes), got, _same
    )
    check(
        len(got) == 2,
        _("latent_statistics must return (mean, std), not {n} value(s).").format(n=len(got)),
        explain,
    )
    assert_close(
        got[0],
        codes.mean(axis=0),
        _("The mean of latent_statistics on 300 codes of 5 dimensions (one value per dimension)"),
        1e-6,
        1e-8,
        explain,
    )
    assert_close(
        got[1],
        codes.std(axis=0),
        _(
            "The standard deviation of latent_statistics on 300 codes of 5 dimensions (one value "
            "per dimension, np.std over the codes)"
        ),
        1e-6,
        1e-8,
        explain,
    )


# ---------------------------------------------------------------- attribute_vectors
def _labelled_set():
    rng = seeded_rng("attribute set")
    labels = rng.integers(0, 4, size=1200)
    return _images("attribute images", 1200), labels


def _expected_vectors(codes, labels, num_classes):
    return np.stack(
        [codes[labels == c].mean(0) - codes[labels != c].mean(0) for c in range(num_classes)]
    )


@pytest.mark.part("attribute_vectors")
def test_attribute_vectors_use_the_whole_dataset(submission, reference, mistakes):
    """Is each vector the class mean minus the others' mean, over all 1,200 images (not one
    batch of them)?"""
    images, labels = _labelled_set()
    args = (images, labels, 4, 256, 6, "attribute encoder")
    got = submission.probe("attribute_vectors", probes.vectors, *args)
    codes = reference.probe("encode_means", probes.encoded, images, 500, 6, "attribute encoder")
    expected = _expected_vectors(np.asarray(codes["means"], np.float64), labels, 4)
    hint = ""
    first = np.asarray(codes["means"], np.float64)[:256]
    if np.shape(got) == expected.shape and np.allclose(
        got, _expected_vectors(first, labels[:256], 4), atol=1e-5
    ):
        hint = " " + _(
            "(These are the vectors of the first batch only, as in the book's code: accumulate "
            "over every batch.)"
        )
    assert_close(
        got,
        expected,
        _(
            "attribute_vectors on 1,200 images of 4 classes with batch_size=256 (for each class, "
            "the mean code of its images minus the mean code of all other images){hint}"
        ).format(hint=hint),
        1e-4,
        1e-5,
        partial(
            mistakes.explain,
            "attribute_vectors",
            lambda ns: probes.vectors(_as_part(ns, "attribute_vectors"), *args),
            got,
            _same,
        ),
    )


# ---------------------------------------------------------------- latent_arithmetic
def _same_or_equal(a, b):
    """_same for numbers and arrays, == for the rest (the flags a probe returns)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_or_equal(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    return _same(a, b)


def _arithmetic_inputs():
    rng = seeded_rng("arithmetic")
    return rng.normal(size=(6, 5)), rng.normal(size=(3, 5)), np.array([0.7, -1.3, 0.0])


@pytest.mark.part("latent_arithmetic")
def test_edits_add_the_weighted_vectors(submission, mistakes):
    """Is edit_codes codes + sum_c strengths[c] * vectors[c], for every code?"""
    codes, vectors, strengths = _arithmetic_inputs()
    out = submission.probe("latent_arithmetic", probes.edited, codes, vectors, strengths)
    explain = partial(
        mistakes.explain,
        "latent_arithmetic",
        partial(probes.edited, codes=codes, vectors=vectors, strengths=strengths),
        out,
        _same_or_equal,
    )
    check(
        out["inputs_unchanged"],
        _(
            "edit_codes changed the codes (or vectors, or strengths) it was given, in place: "
            "return a new array, codes + the weighted sum of the vectors, and leave the caller's "
            "arrays as they were (the notebook edits the same codes many times)."
        ),
        explain,
    )
    got = out["codes"]
    assert_close(
        got,
        codes + strengths @ vectors,
        _(
            "edit_codes on 6 codes, 3 vectors and strengths {strengths} (codes + "
            "sum_c strengths[c] * vectors[c], added to every code)"
        ).format(strengths=strengths.tolist()),
        1e-6,
        1e-8,
        explain,
    )


# ---------------------------------------------------------------- sample_from_statistics
def _statistics_inputs():
    """A mean and a spread per latent dimension, and seeds: the same seed twice, then another."""
    rng = seeded_rng("statistics samples")
    mean = np.round(rng.uniform(-2, 2, size=3), 2)
    std = np.round(rng.permutation([rng.uniform(0.2, 0.5), rng.uniform(1.5, 2.5), 1.0]), 2)
    first, other = (int(s) for s in rng.choice(2**20, size=2, replace=False))
    return mean.tolist(), std.tolist(), [first, first, other]


def _codes_of(images, latent_dim):
    """The codes a code decoder (probes.code_decoder) wrote into its images."""
    p = np.asarray(images, np.float64).reshape(len(images), -1)[:, :latent_dim]
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return probes.CODE_SCALE * np.log(p / (1 - p))


def _sample_summary(samples):
    shapes = [list(np.shape(s)) for s in samples]
    if any(shape[1:] != [28, 28, 1] for shape in shapes):
        return {"shapes": shapes}
    a, b, c = (_codes_of(s, 3) for s in samples)
    return {
        "mean": np.round(a.mean(axis=0), 1).tolist(),
        "std": np.round(a.std(axis=0), 1).tolist(),
        "same_seed": bool(np.allclose(a, b, atol=1e-4)),
        "other_seed": bool(not np.allclose(a, c, atol=1e-4)),
    }


@pytest.mark.part("sample_from_statistics")
def test_samples_follow_the_data_statistics(submission, mistakes):
    """With a decoder whose images show their codes, are the codes N(mean, std^2), decoded to
    (n, 28, 28, 1) images, and reproducible per seed?"""
    mean, std, seeds = _statistics_inputs()
    samples = submission.probe(
        "sample_from_statistics", probes.statistics_samples, mean, std, 20_000, seeds
    )
    summary = _sample_summary(samples)
    explain = partial(
        mistakes.explain,
        "sample_from_statistics",
        lambda ns: _sample_summary(probes.statistics_samples(ns, mean, std, 20_000, seeds)),
        summary,
        lambda a, b: a == b,
    )
    check(
        "shapes" not in summary and np.shape(samples[0])[0] == 20_000,
        _(
            "sample_from_statistics(decoder, mean, std, 20000) should return the decoded images, "
            "shape (20000, 28, 28, 1), not {shape}."
        ).format(shape=tuple(np.shape(samples[0]))),
        explain,
    )
    a = _codes_of(samples[0], 3)
    # 20,000 draws: the standard errors of a mean and a standard deviation are below 0.02 and
    # 0.5% of std, so these bounds hold for any seed.
    check(
        np.allclose(a.mean(axis=0), mean, atol=0.05) and np.allclose(a.std(axis=0), std, rtol=0.03),
        _(
            "With a decoder whose images show their codes, mean {mean} and std {std}, your 20,000 "
            "codes have mean {got_mean} and standard deviation {got_std}. Decode mean + std * "
            "epsilon with epsilon = keras.random.normal((n, D), seed=seed)."
        ).format(
            mean=mean,
            std=std,
            got_mean=np.round(a.mean(axis=0), 3).tolist(),
            got_std=np.round(a.std(axis=0), 3).tolist(),
        ),
        explain,
    )
    check(
        summary["same_seed"] and summary["other_seed"],
        _(
            "sample_from_statistics should give the same images for the same seed and others "
            "for another; yours: same seed, same images: {same}; another seed, other images: "
            "{other}. Pass seed=seed to keras.random.normal."
        ).format(same=summary["same_seed"], other=summary["other_seed"]),
        explain,
    )
