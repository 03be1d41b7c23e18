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

from igcourse.checks import rounded
from igcourse.grading.checks import assert_close, check, seeded_rng
from igcourse.grading.mutants import same_values
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
    """Does encode_means return the encoder's means of all images, in order, batch by batch,
    with the encoder in inference mode?"""
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
        check(
            out["largest_batch"] <= batch_size,
            _(
                "encode_means(encoder, images, batch_size={batch_size}) on 23 images gave the "
                "encoder a batch of {largest} images, more than batch_size. A dataset does not "
                "fit through the encoder at once; encode images[first : first + batch_size] for "
                "first = 0, batch_size, 2 * batch_size, ..."
            ).format(batch_size=batch_size, largest=out["largest_batch"]),
            partial(
                mistakes.explain,
                "encode_means",
                lambda ns, args=args: probes.encoded(ns, *args)["largest_batch"],
                out["largest_batch"],
                lambda a, b: a == b,
            ),
        )
        check(
            not out["training"],
            _(
                "encode_means called the encoder with training=True. Encoding a dataset is "
                "inference: with dropout or batch normalisation in the encoder, training mode "
                "gives other codes than the encoder's means. Call encoder(batch) (or "
                "training=False), as the task says."
            ),
        )
        check(
            out["type"] == "numpy.ndarray",
            _(
                "encode_means returns a {kind}; the task asks for a NumPy array (N, D): convert "
                "each batch's means with keras.ops.convert_to_numpy and join them with "
                "np.concatenate."
            ).format(kind=out["type"]),
            partial(
                mistakes.explain,
                "encode_means",
                lambda ns, args=args: probes.encoded(ns, *args)["type"],
                out["type"],
                lambda a, b: a == b,
            ),
        )


# ---------------------------------------------------------------- latent_statistics
def _latent_set():
    """Codes (300, 5) with a different mean and spread in each dimension."""
    rng = seeded_rng("latent set")
    return rng.normal([0.5, -2.0, 0.0, 1.0, 3.0], [1.0, 0.3, 2.0, 0.7, 1.5], size=(300, 5))


@pytest.mark.part("latent_statistics")
def test_statistics_per_latent_dimension(submission, mistakes):
    """Are the mean and standard deviation taken over the codes, per latent dimension, and are
    the caller's codes left as they were?"""
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
    sample_std = codes.std(axis=0, ddof=1)
    divides_by_n_minus_1 = np.shape(got[1]) == sample_std.shape and np.allclose(
        got[1], sample_std, rtol=1e-6
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
        _(
            "Yours divides by N - 1 (ddof=1, the sample standard deviation); np.std over the "
            "codes divides by N."
        )
        if divides_by_n_minus_1
        else explain,
    )
    # The encoder's codes are float32, and a dimension the model barely uses is nearly
    # constant: its spread must not vanish in round-off (E[x^2] - E[x]^2 cancels there).
    narrow = codes.astype(np.float32)
    narrow[:, 3] = (2.0 + 1e-3 * seeded_rng("narrow dimension").normal(size=len(codes))).astype(
        np.float32
    )
    got = submission.probe("latent_statistics", probes.statistics, narrow)
    assert_close(
        got[1],
        narrow.astype(np.float64).std(axis=0),
        _(
            "The standard deviation of latent_statistics on 300 float32 codes whose dimension 3 is "
            "nearly constant (mean 2, spread 0.001: a dimension the model barely uses)"
        ),
        1e-3,
        1e-7,
        partial(
            mistakes.explain,
            "latent_statistics",
            partial(probes.statistics, codes=narrow),
            got,
            partial(same_values, rtol=1e-3, atol=1e-7),  # float32's precision
        ),
    )
    # Scored with the values: a function that does nothing leaves the codes alone too.
    kept = submission.probe("latent_statistics", probes.statistics_leave_codes, codes)
    check(
        kept,
        _(
            "latent_statistics changed the codes array it was given, in place: compute on a "
            "copy, so that the caller's codes stay as they were."
        ),
        partial(
            mistakes.explain,
            "latent_statistics",
            partial(probes.statistics_leave_codes, codes=codes),
            kept,
            lambda a, b: a == b,
        ),
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
    batch of them), encoded in batches of batch_size?"""
    images, labels = _labelled_set()
    args = (images, labels, 4, 256, 6, "attribute encoder")
    out = submission.probe("attribute_vectors", probes.vectors, *args)
    got = out["vectors"]
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

    def probe(ns, key):
        return probes.vectors(_as_part(ns, "attribute_vectors"), *args)[key]

    assert_close(
        got,
        expected,
        _(
            "attribute_vectors on 1,200 images of 4 classes with batch_size=256 (for each class, "
            "the mean code of its images minus the mean code of all other images){hint}"
        ).format(hint=hint),
        1e-4,
        1e-5,
        partial(mistakes.explain, "attribute_vectors", partial(probe, key="vectors"), got, _same),
    )
    check(
        out["largest_batch"] <= 256,
        _(
            "attribute_vectors(encoder, images, labels, 4, batch_size=256) on 1,200 images gave "
            "the encoder a batch of {largest} images, more than batch_size. Encode with "
            "encode_means(encoder, images, batch_size), which encodes in batches."
        ).format(largest=out["largest_batch"]),
        partial(
            mistakes.explain,
            "attribute_vectors",
            partial(probe, key="largest_batch"),
            out["largest_batch"],
            lambda a, b: a == b,
        ),
    )


def _set_with_an_absent_class():
    """300 images labelled with 5 classes but one (not the last) that no image has."""
    rng = seeded_rng("absent class set")
    absent = int(rng.integers(1, 4))
    present = np.array([c for c in range(5) if c != absent])
    labels = present[rng.integers(0, len(present), size=300)]
    return _images("absent class images", 300), labels, absent


@pytest.mark.part("attribute_vectors")
def test_attribute_vectors_have_a_row_per_class(submission, reference, mistakes):
    """With num_classes=5 and no image of one class, is there still one row per class, each
    present class's vector in its own row? (The absent class's row is not judged: the task
    leaves it open.)"""
    images, labels, absent = _set_with_an_absent_class()
    args = (images, labels, 5, 128, 4, "absent class encoder")
    out = submission.probe("attribute_vectors", probes.vectors, *args)
    got = np.asarray(out["vectors"], np.float64)
    codes = reference.probe("encode_means", probes.encoded, images, 500, 4, "absent class encoder")
    means = np.asarray(codes["means"], np.float64)
    present = [c for c in range(5) if c != absent]
    expected = np.stack([means[labels == c].mean(0) - means[labels != c].mean(0) for c in present])
    explain = partial(
        mistakes.explain,
        "attribute_vectors",
        lambda ns: list(
            np.shape(probes.vectors(_as_part(ns, "attribute_vectors"), *args)["vectors"])
        ),
        list(got.shape),
        lambda a, b: a == b,
    )
    check(
        got.shape == (5, 4),
        _(
            "attribute_vectors(encoder, images, labels, num_classes=5) on images of which none "
            "has class {absent} returned shape {shape}, not (5, 4): return one row per class "
            "c in range(num_classes), not one per label that occurs (np.unique(labels)), so that "
            "row c is always class c's vector."
        ).format(absent=absent, shape=tuple(got.shape)),
        explain,
    )
    assert_close(
        got[present],
        expected,
        _(
            "The rows of the classes present ({present}) of attribute_vectors(encoder, images, "
            "labels, num_classes=5) when no image has class {absent}"
        ).format(present=present, absent=absent),
        1e-4,
        1e-5,
        partial(
            mistakes.explain,
            "attribute_vectors",
            lambda ns: np.asarray(
                probes.vectors(_as_part(ns, "attribute_vectors"), *args)["vectors"], np.float64
            )[present],
            got[present],
            _same,
        ),
    )


# ---------------------------------------------------------------- latent_arithmetic
def _same_or_equal(a, b):
    """_same for numbers and arrays, == for the rest (the flags a probe returns)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_or_equal(a[k], b[k]) for k in a)
    if isinstance(a, (bool, str)) or isinstance(b, (bool, str)):
        return a == b
    return _same(a, b)


def _arithmetic_inputs():
    """Three cases: as many codes as vectors (where adding vector c to code c alone still
    runs); 3 vectors, one of strength 0; then 4 vectors, every strength nonzero (so that each
    vector, the last included, moves the codes)."""
    rng = seeded_rng("arithmetic")
    first = rng.normal(size=(6, 5)), rng.normal(size=(3, 5)), np.array([0.7, -1.3, 0.0])
    signs = rng.choice([-1.0, 1.0], size=4)
    strengths = np.round(signs * rng.uniform(0.4, 1.6, size=4), 2)
    second = rng.normal(size=(5, 5)), rng.normal(size=(4, 5)), strengths
    square = rng.normal(size=(3, 5)), rng.normal(size=(3, 5)), np.array([1.1, -0.6, 0.9])
    return [square, first, second]


@pytest.mark.part("latent_arithmetic")
def test_edits_add_the_weighted_vectors(submission, mistakes):
    """Is edit_codes codes + sum_c strengths[c] * vectors[c], for every code, every vector
    included, leaving its inputs as they were?"""
    for codes, vectors, strengths in _arithmetic_inputs():
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
                "edit_codes changed arrays it was given, in place ({names}): return a new "
                "array, codes + the weighted sum of the vectors, and leave the caller's arrays as "
                "they were (the notebook edits the same codes many times)."
            ).format(names=out["changed"]),
            explain,
        )
        got = out["codes"]
        hint = ""
        if np.shape(got) == codes.shape and np.allclose(
            got, codes + strengths[:-1] @ vectors[:-1], atol=1e-6
        ):
            hint = " " + _(
                "(The last vector is missing: a loop over range(len(strengths) - 1) stops one "
                "vector early; loop over every vector.)"
            )
        elif np.shape(got) == codes.shape and np.allclose(
            got, codes + strengths @ vectors / len(vectors), atol=1e-6
        ):
            hint = " " + _(
                "(Yours adds the weighted sum divided by the number of vectors, a mean; the "
                "task adds the sum itself.)"
            )
        elif (
            np.shape(got) == codes.shape
            and len(codes) == len(vectors)
            and np.allclose(got, codes + strengths[:, None] * vectors, atol=1e-6)
        ):
            hint = " " + _(
                "(Yours adds strengths[c] * vectors[c] to code c alone, one vector per row; "
                "every code gets the whole sum over c.)"
            )
        assert_close(
            got,
            codes + strengths @ vectors,
            _(
                "edit_codes on {n} codes, {c} vectors and strengths {strengths} (codes + "
                "sum_c strengths[c] * vectors[c], added to every code){hint}"
            ).format(n=len(codes), c=len(vectors), strengths=strengths.tolist(), hint=hint),
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
        "mean": rounded(a.mean(axis=0), 1),
        "std": rounded(a.std(axis=0), 1),
        "same_seed": bool(np.allclose(a, b, atol=1e-4)),
        "other_seed": bool(not np.allclose(a, c, atol=1e-4)),
    }


def _spread_hint(got, std):
    """Which function of std the codes' spread is, where it is a telling one, or ""."""
    for spread, text in (
        (np.sqrt(std), _(" Your spreads are the square roots of std: scale epsilon by std.")),
        (std**2, _(" Your spreads are std squared (the variance): scale epsilon by std.")),
    ):
        if not np.allclose(spread, std, rtol=0.03) and np.allclose(got, spread, rtol=0.03):
            return text
    return ""


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
            "codes have mean {got_mean} and standard deviation {got_std}; mean + std * epsilon "
            "has the given mean and std.{hint}"
        ).format(
            mean=mean,
            std=std,
            got_mean=rounded(a.mean(axis=0), 3),
            got_std=rounded(a.std(axis=0), 3),
            hint=_spread_hint(a.std(axis=0), np.asarray(std)),
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


def _draw_hint(codes, wanted, mean, std):
    """Whether the codes use the prescribed epsilon with another scale per dimension (then the
    scale is what differs), or another epsilon altogether."""
    epsilon = (wanted - mean) / std
    offset = codes - mean
    scale = np.sum(offset * epsilon, axis=0) / np.maximum(np.sum(epsilon**2, axis=0), 1e-12)
    if np.allclose(offset, epsilon * scale, atol=2e-3):
        return _(
            " Your codes are mean + s * epsilon with the prescribed epsilon, but s = {scale} "
            "instead of std = {std}."
        ).format(scale=rounded(scale, 3), std=rounded(std, 3))
    return _(" Draw epsilon with keras.random.normal((n, D), seed=seed) itself.")


@pytest.mark.part("sample_from_statistics")
def test_samples_use_the_prescribed_draw(submission, reference, mistakes):
    """Are the codes mean + std * keras.random.normal((n, D), seed=seed), the draw the task
    prescribes, and the images a NumPy array?"""
    mean, std, seeds = _statistics_inputs()
    args = (mean, std, 64, seeds[2])
    out = submission.probe("sample_from_statistics", probes.statistics_draw, *args)
    expected = reference.probe("sample_from_statistics", probes.statistics_draw, *args)
    images = out["images"]
    check(
        np.shape(images) == (64, 28, 28, 1),
        _(
            "sample_from_statistics(decoder, mean, std, 64) should return the decoded images, "
            "shape (64, 28, 28, 1), not {shape}."
        ).format(shape=tuple(np.shape(images))),
    )
    codes, wanted = _codes_of(images, 3), _codes_of(expected["images"], 3)
    check(
        np.allclose(codes, wanted, atol=2e-3),
        _(
            "With a decoder whose images show their codes, sample_from_statistics(decoder, mean, "
            "std, 64, seed={seed}) decoded other codes than mean + std * epsilon with epsilon = "
            "keras.random.normal((64, D), seed={seed}), the draw the task prescribes (first "
            "code: yours {got}, expected {expected}).{hint}"
        ).format(
            seed=seeds[2],
            got=rounded(codes[0], 3),
            expected=rounded(wanted[0], 3),
            hint=_draw_hint(codes, wanted, np.asarray(mean), np.asarray(std)),
        ),
        partial(
            mistakes.explain,
            "sample_from_statistics",
            lambda ns: _codes_of(probes.statistics_draw(ns, *args)["images"], 3),
            codes,
            _same,
        ),
    )
    check(
        out["type"] == "numpy.ndarray",
        _(
            "sample_from_statistics returns a {kind}; the task asks for the decoded images as a "
            "NumPy array: convert the decoder's output with keras.ops.convert_to_numpy."
        ).format(kind=out["type"]),
        partial(
            mistakes.explain,
            "sample_from_statistics",
            lambda ns: probes.statistics_draw(ns, *args)["type"],
            out["type"],
            lambda a, b: a == b,
        ),
    )
