"""Hidden checks of mode_collapse: sampling a mixture of Gaussians, counting covered modes.

Every check gets its values through a probe (probes_mode_collapse.py) and judges them here:
sample statistics against the asked means and covariances, and mode counts on sample sets
built so that each rule of the count (radius, share of all samples) decides the answer.
"""

import numpy as np
import probes_mode_collapse as probes
import pytest

from igcourse.grading.checks import check, fail, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "mixture_sampling": ["sample_mixture"],
    "mode_coverage": ["modes_covered"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch03_gan", PART_NAMES, probes)

MEANS = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
COVARIANCES = np.array(
    [
        [[1.0, 0.8], [0.8, 2.0]],
        [[0.5, -0.6], [-0.6, 1.5]],
        [[0.2, 0.0], [0.0, 0.2]],
    ]
)


def _named(mistakes, part, probe, *args, same=None):
    def explain(observed):
        return lambda: mistakes.explain(
            part, lambda ns: probe(ns, *args), observed, same or (lambda a, b: a == b)
        )

    return explain


def _statistics(result, k):
    points = np.asarray(result["points"], np.float64)
    chosen = points[np.asarray(result["components"]) == k]
    return len(chosen) / len(points), chosen.mean(axis=0), np.cov(chosen.T)


def _same_statistics(a, b):
    """Two mixture results agree in every component's share, mean and covariance."""
    try:
        for k in range(len(MEANS)):
            sa, ma, ca = _statistics(a, k)
            sb, mb, cb = _statistics(b, k)
            if abs(sa - sb) > 0.02 or not np.allclose(ma, mb, atol=0.1):
                return False
            if not np.allclose(ca, cb, atol=0.15):
                return False
        return True
    except (ValueError, KeyError, TypeError, IndexError):
        return False


# ---------------------------------------------------------------- mixture_sampling
@pytest.mark.part("mixture_sampling")
def test_components_have_the_asked_statistics(submission, mistakes):
    """Equal shares, and each component's mean and covariance as asked (correlated ones too)?"""
    args = (30_000, MEANS, COVARIANCES, 11)
    result = submission.probe("mixture_sampling", probes.mixture, *args)
    explain = _named(mistakes, "mixture_sampling", probes.mixture, *args, same=_same_statistics)
    points = np.asarray(result["points"])
    check(
        points.shape == (30_000, 2) and np.asarray(result["components"]).shape == (30_000,),
        _(
            "sample_mixture(30000, ...) returned points of shape {shape} and components of shape "
            "{components}; expected (30000, 2) and (30000,)."
        ).format(shape=points.shape, components=np.asarray(result["components"]).shape),
    )
    for k in range(len(MEANS)):
        share, mean, covariance = _statistics(result, k)
        check(
            abs(share - 1 / 3) < 0.02,
            _(
                "Component {k} of 3 got {share:.1%} of the points; draw each point's component "
                "uniformly."
            ).format(k=k, share=share),
            explain(result),
        )
        check(
            np.allclose(mean, MEANS[k], atol=0.05)
            and np.allclose(covariance, COVARIANCES[k], atol=0.08),
            _(
                "The points of component {k} have mean {mean} and covariance {cov}; asked for "
                "{expected_mean} and {expected_cov}. Return mean + A @ noise with A A^T equal to "
                "the covariance."
            ).format(
                k=k,
                mean=np.round(mean, 2).tolist(),
                cov=np.round(covariance, 2).tolist(),
                expected_mean=MEANS[k].tolist(),
                expected_cov=COVARIANCES[k].tolist(),
            ),
            explain(result),
        )


@pytest.mark.part("mixture_sampling")
def test_points_belong_to_their_components(submission):
    """Is each point near the mean of the component returned for it?"""
    tight = np.tile(np.eye(2) * 1e-4, (3, 1, 1))
    result = submission.probe("mixture_sampling", probes.mixture, 300, MEANS, tight, 12)
    components = np.asarray(result["components"]).astype(int)
    distance = np.linalg.norm(np.asarray(result["points"]) - MEANS[components], axis=1)
    check(
        np.all(distance < 0.1),
        _(
            "With tiny covariances, some points lie far from the mean of the component returned "
            "for them (up to {d:.2f}); return the component each point was drawn from."
        ).format(d=float(distance.max())),
    )


@pytest.mark.part("mixture_sampling")
def test_the_seed_decides_the_points(submission, mistakes):
    """Same seed, same points; another seed, other points?"""
    first = submission.probe("mixture_sampling", probes.mixture, 100, MEANS, COVARIANCES, 5)
    again = submission.probe("mixture_sampling", probes.mixture, 100, MEANS, COVARIANCES, 5)
    other = submission.probe("mixture_sampling", probes.mixture, 100, MEANS, COVARIANCES, 6)
    same = np.array_equal(first["points"], again["points"])
    differs = not np.array_equal(first["points"], other["points"])
    check(
        same and differs,
        _(
            "sample_mixture should give the same points for the same seed and other points for "
            "another seed (same seed, same points: {same}; another seed, other points: "
            "{differs}). Draw everything from np.random.default_rng(seed)."
        ).format(same=same, differs=differs),
        lambda: mistakes.explain(
            "mixture_sampling",
            lambda ns: np.array_equal(
                probes.mixture(ns, 100, MEANS, COVARIANCES, 5)["points"],
                probes.mixture(ns, 100, MEANS, COVARIANCES, 5)["points"],
            ),
            same,
        ),
    )


BAD_COVARIANCES = [
    [[[1.0, 0.0], [0.0, 1.0]], [[0.2, -2.0], [-2.0, 5.0]], [[1.0, 0.0], [0.0, 1.0]]],  # book's
    [[[1.0, 0.5], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]],  # asymmetric
    [[[1.0, 0.0], [0.0, -0.1]], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]],  # negative
]
VALID_SINGULAR = [[[1.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]]


@pytest.mark.part("mixture_sampling")
def test_invalid_covariances_raise_value_error(submission, mistakes):
    """Do non-symmetric or indefinite covariances raise ValueError, and singular PSD ones not?"""
    raised = submission.probe(
        "mixture_sampling", probes.mixture_errors, MEANS, BAD_COVARIANCES + [VALID_SINGULAR]
    )
    explain = _named(
        mistakes,
        "mixture_sampling",
        probes.mixture_errors,
        MEANS,
        BAD_COVARIANCES + [VALID_SINGULAR],
    )(raised)
    names = (
        _("the book's [[0.2, -2], [-2, 5]] (eigenvalues -0.52 and 5.72)"),
        _("a matrix that is not symmetric"),
        _("a matrix with eigenvalue -0.1"),
    )
    for error, name in zip(raised[:3], names, strict=True):
        if error not in ("ValueError", "LinAlgError"):  # NumPy's LinAlgError is a ValueError
            fail(
                _(
                    "sample_mixture should raise ValueError for {name}, but {what}. A covariance "
                    "must be symmetric with no negative eigenvalue."
                ).format(
                    name=name,
                    what=_("raised {error}").format(error=error) if error else _("raised nothing"),
                ),
                explain,
            )
    check(
        raised[3] is None,
        _(
            "sample_mixture raised {error} for valid positive semi-definite covariances with a "
            "zero eigenvalue ([[1, 1], [1, 1]] and the zero matrix); only negative eigenvalues "
            "(beyond round-off) are invalid. A Cholesky factor needs a positive definite "
            "matrix: use the eigendecomposition instead."
        ).format(error=raised[3]),
        explain,
    )


# ---------------------------------------------------------------- mode_coverage
COVERAGE_MEANS = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])


def _coverage_cases():
    rng = seeded_rng("coverage cases")
    blob = lambda centre, n, spread=0.3: centre + spread * rng.normal(size=(n, 2))  # noqa: E731
    one_mode = blob(COVERAGE_MEANS[0], 200)
    spread_out = np.concatenate([blob(m, 50) for m in COVERAGE_MEANS])
    with_stray = np.concatenate([blob(COVERAGE_MEANS[0], 196), blob(COVERAGE_MEANS[3], 4)])
    between = np.concatenate([blob(np.array([5.0, 0.0]), 150), blob(COVERAGE_MEANS[2], 50)])
    ring = COVERAGE_MEANS[1] + 1.5 * np.stack([np.cos(np.arange(100)), np.sin(np.arange(100))], 1)
    mostly_far = np.concatenate([blob(np.array([5.0, 5.0]), 190), blob(COVERAGE_MEANS[0], 10)])
    return [
        ("one_mode", one_mode, 1.5, 0.05),
        ("mostly_far_from_every_mode", mostly_far, 1.5, 0.1),
        ("all_modes", spread_out, 1.5, 0.05),
        ("stray_below_share", with_stray, 1.5, 0.05),
        ("stray_above_share", with_stray, 1.5, 0.01),
        ("between_modes", between, 1.5, 0.05),
        ("ring_outside_radius", ring, 1.4, 0.05),
        ("ring_inside_radius", ring, 1.6, 0.05),
    ]


def _expected(samples, radius, min_share):
    d = np.linalg.norm(samples[:, None] - COVERAGE_MEANS[None], axis=-1)
    return int((((d <= radius).sum(0) / len(samples)) >= min_share).sum())


@pytest.mark.part("mode_coverage")
def test_modes_are_counted_by_radius_and_share(submission, mistakes):
    """On sample sets where radius and share decide, is the count right every time?"""
    for name, samples, radius, min_share in _coverage_cases():
        args = (samples, COVERAGE_MEANS, radius, min_share)
        got = submission.probe("mode_coverage", probes.coverage, *args)
        expected = _expected(samples, radius, min_share)
        if got != expected:
            fail(
                _(
                    "modes_covered(samples, means, radius={radius}, min_share={share}) on the "
                    "case {case!r} returned {got:g}, expected {expected}. A mode counts when at "
                    "least min_share of ALL samples lie within radius of its mean: not samples "
                    "merely nearest to it, nor a single stray sample."
                ).format(radius=radius, share=min_share, case=name, got=got, expected=expected),
                _named(mistakes, "mode_coverage", probes.coverage, *args)(got),
            )


@pytest.mark.part("mode_coverage")
def test_the_count_is_an_integer_between_0_and_k(submission):
    """Does it return a whole number of modes, for data with more modes than samples too?"""
    samples = np.array([[0.0, 0.0], [10.0, 10.0]])
    got = submission.probe("mode_coverage", probes.coverage, samples, COVERAGE_MEANS, 1.0, 0.5)
    check(
        got == 2,
        _(
            "modes_covered on 2 samples, one at each of 2 of the 4 means (min_share 0.5), "
            "returned {got:g}, expected 2."
        ).format(got=got),
    )


# The ring demo's setting (solutions/ch03_gan/RESULTS.md, "Eight modes on a ring"): with seeds
# 0 to 7 the GAN ended on 1 mode (2 with seed 6) and WGAN-GP on 8, so a margin of 4 is far from
# the seed-to-seed noise.
RING_RUNS = (("gan", 2000), ("wgan_gp", 500))
RING_SEED, RING_RADIUS, RING_SHARE, RING_MODES, RING_MARGIN = 0, 0.2, 0.02, 8, 4


@pytest.mark.expensive
@pytest.mark.part("mode_coverage")
def test_the_ring_demo_tells_collapse_from_coverage(submission):
    """On the ring demo (about 20 s), does your count give WGAN-GP clearly more modes?"""
    counts = {}
    for kind, steps in RING_RUNS:
        result = submission.probe(
            "mode_coverage",
            probes.ring_training,
            kind,
            steps,
            RING_SEED,
            RING_RADIUS,
            RING_SHARE,
        )
        counts[kind] = result["modes"]
    for kind, count in counts.items():
        check(
            count == int(count) and 0 <= count <= RING_MODES,
            _(
                "modes_covered on the {kind} samples of the ring demo returned {got:g}; a count "
                "of modes is a whole number from 0 to {k}."
            ).format(kind=kind, got=count, k=RING_MODES),
        )
    check(
        counts["wgan_gp"] >= counts["gan"] + RING_MARGIN,
        _(
            "On the ring demo (8 modes, seed {seed}, radius {radius}, min_share {share}) your "
            "modes_covered counted {gan:g} modes for the GAN and {wgan:g} for WGAN-GP; the GAN "
            "sits on one or two modes and WGAN-GP reaches all eight, so WGAN-GP should count at "
            "least {margin} more. A mode counts when at least min_share of all samples lie "
            "within radius of its mean."
        ).format(
            seed=RING_SEED,
            radius=RING_RADIUS,
            share=RING_SHARE,
            gan=counts["gan"],
            wgan=counts["wgan_gp"],
            margin=RING_MARGIN,
        ),
    )
