"""Hidden checks of mode_collapse: sampling a mixture of Gaussians, counting covered modes.

Every check gets its values through a probe (probes_mode_collapse.py) and judges them here:
sample statistics against the asked means and covariances (with bounds of six standard errors,
so that they hold for any seed), and mode counts on sample sets built so that each rule of the
count (radius, share of all samples, overlapping modes) decides the answer. Means, covariances
and seeds are drawn with seeded_rng: every submission gets its own.
"""

import math
from functools import partial

import numpy as np
import probes_mode_collapse as probes
import pytest

from igcourse.checks import N_, rounded
from igcourse.grading.checks import check, fail, seeded_rng
from igcourse.grading.public import public_checks_test
from igcourse.i18n import _

PART_NAMES = {
    "mixture_sampling": ["sample_mixture"],
    "mode_coverage": ["modes_covered"],
}

# Every public check of a part counts in its hidden grade too.
test_public_checks = public_checks_test("ch03_gan", PART_NAMES, probes)

MIXTURE_POINTS = 30_000
SIGMAS = 6.0  # bounds of six standard errors: a correct sampler fails them about once in 10^8


def _named(mistakes, part, probe, *args, same=None):
    def explain(observed):
        return lambda: mistakes.explain(
            part, lambda ns: probe(ns, *args), observed, same or (lambda a, b: a == b)
        )

    return explain


def _covariance(rng, correlated=True):
    """A covariance with standard deviations 0.6 to 1.5 and a correlation of 0.5 to 0.9 in size."""
    s1, s2 = rng.uniform(0.6, 1.5, size=2)
    rho = rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 0.9) if correlated else 0.0
    return np.array([[s1 * s1, rho * s1 * s2], [rho * s1 * s2, s2 * s2]])


def _mixture(label):
    """(means (3, 2), covariances (3, 2, 2), seed): well-separated correlated components."""
    rng = seeded_rng(label)
    angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(3) / 3
    means = rng.uniform(-3, 3, size=2) + 7.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    covariances = np.stack([_covariance(rng) for _ in range(3)])
    return means, covariances, int(rng.integers(0, 2**31))


def _statistics(result, k):
    """Component k's share of the points, their mean and covariance (NaN for fewer than two
    points), and their number."""
    points = np.asarray(result["points"], np.float64)
    chosen = points[np.asarray(result["components"]) == k]
    if len(chosen) < 2:
        return len(chosen) / len(points), np.full(2, np.nan), np.full((2, 2), np.nan), len(chosen)
    return len(chosen) / len(points), chosen.mean(axis=0), np.cov(chosen.T), len(chosen)


def _same_statistics(a, b):
    """Two mixture results agree in every component's share, mean and covariance."""
    try:
        for k in range(3):
            sa, ma, ca, na = _statistics(a, k)
            sb, mb, cb, nb = _statistics(b, k)
            if abs(sa - sb) > 0.03:
                return False
            if min(na, nb) < 2:  # a component (all but) never drawn: its share says it all
                continue
            if not np.allclose(ma, mb, atol=0.15):
                return False
            if not np.allclose(ca, cb, atol=0.25):
                return False
        return True
    except (ValueError, KeyError, TypeError, IndexError):
        return False


def _four_components(args):
    """The same draw with a fourth component: shares that three components cannot tell apart
    (one component never drawn, or two only) differ there."""
    n, means, covariances, seed = args
    more_means = np.vstack([means, means.mean(axis=0)])
    return n, more_means, np.vstack([covariances, covariances[:1]]), seed


def _shares(result, count):
    components = np.asarray(result["components"]).astype(np.int64).ravel()
    inside = components[(components >= 0) & (components < count)]
    return np.bincount(inside, minlength=count) / max(len(components), 1)


def _explain_shares(submission, mistakes, args, result):
    """A known mistake named from the shares on three components and on four."""
    four = _four_components(args)
    observed = [result, _shares(submission.probe("mixture_sampling", probes.mixture, *four), 4)]

    def run(ns):
        return [probes.mixture(ns, *args), _shares(probes.mixture(ns, *four), 4)]

    def same(a, b):
        return _same_statistics(a[0], b[0]) and bool(np.allclose(a[1], b[1], atol=0.03))

    return mistakes.explain("mixture_sampling", run, observed, same)


def _flag(*keys):
    """Two results alike when they agree on flags (inputs changed, points reproducible)."""
    return lambda a, b: all(bool(a[key]) == bool(b[key]) for key in keys)


# ---------------------------------------------------------------- mixture_sampling
@pytest.fixture(scope="module")
def mixture(submission):
    means, covariances, seed = _mixture("mixture statistics")
    args = (MIXTURE_POINTS, means, covariances, seed)
    first = submission.probe("mixture_sampling", probes.mixture, *args)
    again = submission.probe("mixture_sampling", probes.mixture, *args)
    first["reproducible"] = bool(np.array_equal(first["points"], again["points"]))
    return args, first


def _reproducible(ns, *args):
    first, again = probes.mixture(ns, *args), probes.mixture(ns, *args)
    return {**first, "reproducible": bool(np.array_equal(first["points"], again["points"]))}


@pytest.mark.part("mixture_sampling")
def test_components_have_the_asked_statistics(submission, mixture, mistakes):
    """Equal shares, each component's mean and (correlated) covariance, decided by the seed?"""
    args, result = mixture
    n, means, covariances, seed = args
    explain = _named(mistakes, "mixture_sampling", probes.mixture, *args, same=_same_statistics)
    points = np.asarray(result["points"])
    check(
        points.shape == (n, 2) and np.asarray(result["components"]).shape == (n,),
        _(
            "sample_mixture({n}, ...) returned points of shape {shape} and components of shape "
            "{components}; expected ({n}, 2) and ({n},)."
        ).format(n=n, shape=points.shape, components=np.asarray(result["components"]).shape),
    )
    for k in range(len(means)):
        share, mean, covariance, count = _statistics(result, k)
        share_bound = SIGMAS * math.sqrt((1 / 3) * (2 / 3) / n)
        check(
            abs(share - 1 / 3) < share_bound,
            _(
                "Component {k} of 3 got {share:.1%} of the points; draw each point's component "
                "uniformly."
            ).format(k=k, share=share),
            lambda: _explain_shares(submission, mistakes, args, result),
        )
        variances = np.diag(covariances[k])
        mean_bound = SIGMAS * np.sqrt(variances / max(count, 1)) + 1e-9
        # Var(sample covariance_ij) = (S_ii S_jj + S_ij^2) / count, for a Gaussian
        cov_bound = SIGMAS * np.sqrt(
            (np.outer(variances, variances) + covariances[k] ** 2) / max(count - 1, 1)
        )
        check(
            np.all(np.abs(mean - means[k]) < mean_bound)
            and np.all(np.abs(covariance - covariances[k]) < cov_bound),
            _(
                "The points of component {k} have mean {mean} and covariance {cov}; asked for "
                "{expected_mean} and {expected_cov}. Return mean + A @ noise with A A^T equal to "
                "the covariance."
            ).format(
                k=k,
                mean=rounded(mean, 2),
                cov=rounded(covariance, 2),
                expected_mean=rounded(means[k], 2),
                expected_cov=rounded(covariances[k], 2),
            ),
            explain(result),
        )
    check(
        result["reproducible"],
        _(
            "sample_mixture gave other points for the same arguments and seed: draw everything "
            "from np.random.default_rng(seed), so that the seed decides the points."
        ),
        lambda: mistakes.explain(
            "mixture_sampling", lambda ns: _reproducible(ns, *args), result, _flag("reproducible")
        ),
    )
    check(
        not result["inputs_changed"],
        _(
            "sample_mixture changed the means or covariances it was given (the caller's own "
            "arrays): work on copies, so that the caller can pass the same arrays again."
        ),
        _named(mistakes, "mixture_sampling", probes.mixture, *args, same=_flag("inputs_changed"))(
            result
        ),
    )


@pytest.mark.part("mixture_sampling")
def test_points_come_in_the_order_drawn(submission, mixture, mistakes):
    """Is point i the i-th of n independent draws, so that neighbours' components change as
    often as independent draws' do (not grouped by component)?"""
    args, result = mixture
    n, changes = _component_changes(result)
    # Independent uniform components change between neighbours with probability 1 - 1/K:
    # about 20,000 of 30,000 for K = 3, with a standard deviation near 80.
    expected = (n - 1) * (1 - 1 / len(args[1]))
    check(
        changes > 0.9 * expected,
        _(
            "Neighbouring points of your sample_mixture({n}, ...) belong to different components "
            "only {changes} times, where independent draws change about {expected:.0f} times: "
            "the points come grouped by component. Return them in the order drawn, point i "
            "the i-th of n independent draws (the notebook plots points[:1000] as a sample of "
            "the whole mixture)."
        ).format(n=n, changes=changes, expected=expected),
        _named(
            mistakes,
            "mixture_sampling",
            probes.mixture,
            *args,
            same=lambda a, b: _grouped(a) == _grouped(b),
        )(result),
    )


def _component_changes(result):
    """(n, how many neighbouring points belong to different components)."""
    components = np.asarray(result["components"]).ravel()
    return len(components), int(np.count_nonzero(np.diff(components)))


def _grouped(result):
    n, changes = _component_changes(result)
    return changes < n / 10


@pytest.mark.part("mixture_sampling")
def test_points_belong_to_their_components(submission):
    """Is each point near the mean of the component returned for it?"""
    means, _covariances, seed = _mixture("mixture tight")
    tight = np.tile(np.eye(2) * 1e-4, (3, 1, 1))
    result = submission.probe("mixture_sampling", probes.mixture, 300, means, tight, seed)
    components = np.asarray(result["components"]).astype(int)
    distance = np.linalg.norm(np.asarray(result["points"]) - means[components], axis=1)
    check(
        np.all(distance < 0.1),
        _(
            "With tiny covariances, some points lie far from the mean of the component returned "
            "for them (up to {d:.2f}); return the component each point was drawn from."
        ).format(d=float(distance.max())),
    )


@pytest.mark.property
@pytest.mark.part("mixture_sampling")
def test_the_seed_decides_the_points(submission, mistakes):
    """Same seed, same points; another seed, other points?"""
    means, covariances, seed = _mixture("mixture seeds")
    first = submission.probe("mixture_sampling", probes.mixture, 100, means, covariances, seed)
    again = submission.probe("mixture_sampling", probes.mixture, 100, means, covariances, seed)
    other = submission.probe("mixture_sampling", probes.mixture, 100, means, covariances, seed + 1)
    same = np.array_equal(first["points"], again["points"])
    differs = not np.array_equal(first["points"], other["points"])
    check(
        same and differs,
        _(
            "sample_mixture should give the same points for the same seed and other points for "
            "another seed (same seed, same points: {same}; another seed, other points: "
            "{differs}). Draw everything from np.random.default_rng(seed)."
        ).format(same=same, differs=differs),
    )


@pytest.mark.part("mixture_sampling")
def test_components_are_integer_labels(submission, mistakes):
    """Is the component of each point returned as an int array (labels usable as indices)?"""
    means, covariances, seed = _mixture("mixture labels")
    args = (200, means, covariances, seed)
    result = submission.probe("mixture_sampling", probes.mixture, *args)
    dtype = np.asarray(result["components"]).dtype
    check(
        dtype.kind in "iu",
        _(
            "sample_mixture returned its components as an array of dtype {dtype}; the task "
            "returns an int array of component labels (usable as indices, as means[components])."
        ).format(dtype=dtype),
        _named(
            mistakes,
            "mixture_sampling",
            probes.mixture,
            *args,
            same=lambda a, b: (
                np.asarray(a["components"]).dtype.kind == np.asarray(b["components"]).dtype.kind
            ),
        )(result),
    )


@pytest.mark.part("mixture_sampling")
def test_the_global_random_state_is_left_alone(submission, mistakes):
    """Does sample_mixture draw from its own np.random.default_rng(seed), leaving NumPy's global
    random state (np.random.seed, np.random.normal...) as it was?"""
    means, covariances, seed = _mixture("mixture global state")
    args = (100, means, covariances, seed)
    result = submission.probe("mixture_sampling", probes.mixture_global_state, *args)
    points = np.asarray(result["points"])
    check(
        points.shape == (args[0], 2)
        and np.asarray(result["components"]).shape == (args[0],)
        and np.ptp(points, axis=0).min() > 0,
        _(
            "sample_mixture({n}, ...) returned no ({n}, 2) array of scattered points and ({n},) "
            "components."
        ).format(n=args[0]),
    )
    check(
        not result["global_state_changed"],
        _(
            "sample_mixture changed NumPy's global random state (np.random.seed or the global "
            "np.random functions), which resets or advances the caller's random numbers: draw "
            "everything from a generator of its own, rng = np.random.default_rng(seed)."
        ),
        _named(
            mistakes,
            "mixture_sampling",
            probes.mixture_global_state,
            *args,
            same=_flag("global_state_changed", "reproducible"),
        )(result),
    )


def _shared_noise(result):
    """The largest share of one component's noise vectors found again in another component's,
    for zero means and identity covariances (the points are the noise; up to the signs and
    order of the coordinates, which a factor of I may change)."""
    points = np.asarray(result["points"], np.float32)
    components = np.asarray(result["components"]).astype(int)
    rows = [
        {tuple(np.sort(np.abs(p))) for p in points[components == k]} for k in np.unique(components)
    ]
    shared = 0.0
    for j, first in enumerate(rows):
        for second in rows[j + 1 :]:
            smaller = min(len(first), len(second))
            if smaller:
                shared = max(shared, len(first & second) / smaller)
    return shared


@pytest.mark.part("mixture_sampling")
def test_components_draw_independent_noise(submission, mistakes):
    """With zero means and identity covariances, are the components' noise vectors
    independent (no component reusing another's draws, as a generator created again for each
    component does)?"""
    _means, _covariances, seed = _mixture("mixture shared noise")
    args = (600, np.zeros((3, 2)), np.tile(np.eye(2), (3, 1, 1)), seed)
    result = submission.probe("mixture_sampling", probes.mixture, *args)
    shared = _shared_noise(result)
    check(
        shared < 0.5,
        _(
            "With zero means and identity covariances, {share:.0%} of one component's points "
            "are exactly points of another component: the components reuse the same noise "
            "(np.random.default_rng(seed) created again for each component starts from the "
            "same draws). Create the generator once and draw all the noise from it."
        ).format(share=shared),
        _named(
            mistakes,
            "mixture_sampling",
            probes.mixture,
            *args,
            same=lambda a, b: (_shared_noise(a) >= 0.5) == (_shared_noise(b) >= 0.5),
        )(result),
    )


BOOK_COVARIANCE = [[0.2, -2.0], [-2.0, 5.0]]  # the task text's example: eigenvalues -0.52, 5.72


def _rotation(rng):
    angle = rng.uniform(0, np.pi)
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def _with_eigenvalues(rng, values):
    """An exactly symmetric matrix R diag(values) R^T."""
    rotation = _rotation(rng)
    matrix = rotation @ np.diag(values) @ rotation.T
    return (matrix + matrix.T) / 2


def _invalid_sets(label):
    """[book's, not symmetric, negative eigenvalue]: each set of 3 covariances has one bad."""
    rng = seeded_rng(label)
    valid = [_covariance(rng) for _ in range(3)]
    asymmetric = _covariance(rng)
    asymmetric[0, 1] += rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 0.5)
    negative = _with_eigenvalues(rng, [rng.uniform(0.5, 2.0), -rng.uniform(0.05, 0.5)])
    # Two negative eigenvalues: a positive determinant, so a test of det >= 0 lets it through.
    negative_definite = _with_eigenvalues(rng, -rng.uniform(0.5, 2.0, size=2))
    return [
        [valid[0], np.array(BOOK_COVARIANCE), valid[1]],
        [asymmetric, valid[1], valid[2]],
        [valid[0], valid[2], negative],
        [negative_definite, valid[0], valid[1]],
    ]


def _singular_sets(label):
    """Valid covariances that a Cholesky factor refuses: rank one, zero, and one whose smallest
    eigenvalue is a round-off negative of about -1e-11 (the task allows -1e-9)."""
    rng = seeded_rng(label)
    direction = _rotation(rng)[:, 0] * rng.uniform(0.5, 1.5)
    rank_one = np.outer(direction, direction)
    round_off = _with_eigenvalues(rng, [rng.uniform(0.5, 2.0), -rng.uniform(1e-12, 1e-10)])
    return [[rank_one, np.zeros((2, 2)), _covariance(rng)], [_covariance(rng), round_off, rank_one]]


@pytest.mark.part("mixture_sampling")
def test_invalid_covariances_raise_value_error(submission, mistakes):
    """Do non-symmetric or indefinite covariances raise ValueError?"""
    means, _covariances, _seed = _mixture("mixture invalid")
    sets = _invalid_sets("invalid covariances")
    raised = submission.probe("mixture_sampling", probes.mixture_errors, means, sets)
    explain = _named(mistakes, "mixture_sampling", probes.mixture_errors, means, sets)(raised)
    names = (
        _("the book's [[0.2, -2], [-2, 5]] (eigenvalues -0.52 and 5.72)"),
        _("a matrix that is not symmetric"),
        _("a matrix with a negative eigenvalue (below -0.05)"),
        _(
            "a matrix with two negative eigenvalues (negative definite, like -I; its "
            "determinant is positive, so a test of det >= 0 is not enough)"
        ),
    )
    for error, name in zip(raised, names, strict=True):
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


def _degenerate_points(result, means, covariances):
    """What a singular covariance's points show: 'error:<name>', 'shape', or 'off' when some
    point leaves the subspace its covariance allows (the mean itself for the zero matrix, a
    line for rank one), or 'ok'."""
    if "error" in result:
        return f"error:{result['error']}"
    points, components = np.asarray(result["points"]), np.asarray(result["components"])
    if points.shape != (len(components), 2) or not np.all(np.isfinite(points)):
        return "shape"
    for k, covariance in enumerate(np.asarray(covariances)):
        values, vectors = np.linalg.eigh(covariance)
        offsets = points[components == k] - means[k]
        for value, vector in zip(values, vectors.T, strict=True):
            if value < 1e-6 and np.abs(offsets @ vector).max(initial=0.0) > 1e-2:
                return "off"
    return "ok"


@pytest.mark.part("mixture_sampling")
def test_singular_and_round_off_covariances_are_accepted(submission, mistakes):
    """Do valid covariances with a zero (or round-off negative) eigenvalue give points where
    they allow them (on a line, at the mean), without an error?"""
    means, _covariances, seed = _mixture("mixture singular")
    outcomes = []
    for covariances in _singular_sets("singular covariances"):
        args = (300, means, covariances, seed)
        result = submission.probe("mixture_sampling", probes.mixture_or_error, *args)
        outcomes.append((_degenerate_points(result, means, covariances), args))
    outcomes_messages = (
        _(
            "For valid positive semi-definite covariances with a zero eigenvalue (a rank-one "
            "matrix and the zero matrix) sample_mixture {what}.{hint}"
        ),
        _(
            "For a valid covariance whose smallest eigenvalue is a round-off negative of "
            "about -1e-11 sample_mixture {what}; the task allows -1e-9 for round-off.{hint}"
        ),
    )
    for index, ((outcome, args), message) in enumerate(
        zip(outcomes, outcomes_messages, strict=True)
    ):
        if outcome == "ok":
            continue
        what = {
            "shape": _("returned no (n, 2) array of finite points"),
            "off": _(
                "returned points off the line (or away from the mean) that the covariance allows"
            ),
        }.get(outcome) or _("raised {error}").format(error=outcome.partition(":")[2])
        covariances = args[2]
        round_off = index == 1
        if outcome == "error:LinAlgError":  # NumPy's Cholesky refuses a singular matrix
            hint = _(
                " A Cholesky factor needs a positive definite matrix: use the eigendecomposition "
                "instead."
            )
        elif outcome.startswith("error:"):  # refused a valid matrix
            hint = _(" Only eigenvalues below -1e-9 make a covariance invalid.")
        elif outcome == "shape" and round_off:  # NaN points: the square root of a negative
            hint = _(" Clip the small negative eigenvalues to 0 before the square root.")
        else:
            hint = ""
        fail(
            message.format(what=what, hint=hint),
            lambda args=args, covariances=covariances, outcome=outcome: mistakes.explain(
                "mixture_sampling",
                lambda ns: _degenerate_points(
                    probes.mixture_or_error(ns, *args), means, covariances
                ),
                outcome,
                lambda a, b: a == b,
            ),
        )


# ---------------------------------------------------------------- mode_coverage
def _coverage_means(rng):
    """Four means on a square of side 10, somewhere."""
    corners = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    return rng.uniform(-5, 5, size=2) + corners


def _coverage_cases():
    """(name, samples, means, radius, min_share): every rule of the count decides one case."""
    rng = seeded_rng("coverage cases")
    means = _coverage_means(rng)
    blob = lambda centre, n, spread=0.3: centre + spread * rng.normal(size=(n, 2))  # noqa: E731
    one_mode = blob(means[0], 200)
    spread_out = np.concatenate([blob(m, 50) for m in means])
    with_stray = np.concatenate([blob(means[0], 196), blob(means[3], 4)])
    between = np.concatenate([blob(means[0] + [5.0, 0.0], 150), blob(means[2], 50)])
    angles = rng.uniform(0, 2 * np.pi, size=100)
    ring = means[1] + 1.5 * np.stack([np.cos(angles), np.sin(angles)], 1)
    mostly_far = np.concatenate([blob(means[0] + [5.0, 5.0], 190), blob(means[0], 10)])
    # Two means 2 apart with radius 1.5: samples at 0.8 from the first are within the radius of
    # both, so they cover both modes (they are nearest to the first).
    pair = np.stack([means[0], means[0] + [2.0, 0.0]])
    overlapping = blob(means[0] + [0.8, 0.0], 100, spread=0.05)
    # Samples 1.2 from a mean along the diagonals: within radius 1.5 in the Euclidean distance
    # (and in its square, 1.44), outside it in the L1 distance (1.2 * sqrt(2) = 1.70).
    signs = rng.choice([-1.0, 1.0], size=(100, 2))
    diagonal = means[2] + 1.2 / np.sqrt(2.0) * signs
    return [
        ("one_mode", one_mode, means, 1.5, 0.05),
        ("mostly_far_from_every_mode", mostly_far, means, 1.5, 0.1),
        ("all_modes", spread_out, means, 1.5, 0.05),
        ("stray_below_share", with_stray, means, 1.5, 0.05),
        ("stray_above_share", with_stray, means, 1.5, 0.01),
        ("between_modes", between, means, 1.5, 0.05),
        ("ring_outside_radius", ring, means, 1.4, 0.05),
        ("ring_inside_radius", ring, means, 1.6, 0.05),
        ("overlapping_modes", overlapping, pair, 1.5, 0.05),
        ("diagonal_inside_radius", diagonal, means, 1.5, 0.05),
    ]


# What each case holds, in the student's terms (what it was built to decide, not a cause).
COVERAGE_CASES = {
    "one_mode": N_("200 samples around one of 4 means"),
    "mostly_far_from_every_mode": N_(
        "190 of 200 samples far from every mean and 10 at one mean, a share of 0.05"
    ),
    "all_modes": N_("50 samples around each of 4 means"),
    "stray_below_share": N_("196 samples around one mean and 4 at another, a share of 0.02"),
    "stray_above_share": N_("196 samples around one mean and 4 at another, a share of 0.02"),
    "between_modes": N_("150 samples 5 away from a mean, within radius of none, and 50 at a mean"),
    "ring_outside_radius": N_("100 samples on a circle of radius 1.5 around one mean"),
    "ring_inside_radius": N_("100 samples on a circle of radius 1.5 around one mean"),
    "overlapping_modes": N_(
        "100 samples 0.8 from the first of two means 2 apart: within radius of both"
    ),
    "diagonal_inside_radius": N_(
        "100 samples 1.2 from one mean along the diagonals, within radius 1.5 of it"
    ),
}


def _expected(samples, means, radius, min_share):
    d = np.linalg.norm(samples[:, None] - means[None], axis=-1)
    return int((((d <= radius).sum(0) / len(samples)) >= min_share).sum())


def _counts(ns):
    """What a zoo mutant counts on every case."""
    return [
        probes.coverage(ns, samples, means, radius, share)["count"]
        for _name, samples, means, radius, share in _coverage_cases()
    ]


@pytest.mark.part("mode_coverage")
def test_modes_are_counted_by_radius_and_share(submission, mistakes):
    """On sample sets where radius, share and overlap decide, is the count right every time?"""
    cases = _coverage_cases()
    results = [
        submission.probe("mode_coverage", probes.coverage, samples, means, radius, share)
        for _name, samples, means, radius, share in cases
    ]
    counts = [result["count"] for result in results]
    for (name, samples, means, radius, min_share), got in zip(cases, counts, strict=True):
        expected = _expected(samples, means, radius, min_share)
        if got != expected:
            fail(
                _(
                    "modes_covered(samples, means, radius={radius}, min_share={share}) on the "
                    "case {case!r} ({what}) returned {got:g}, expected {expected}. A mode counts "
                    "when at least min_share of ALL samples lie within radius (the Euclidean "
                    "distance) of its mean."
                ).format(
                    radius=radius,
                    share=min_share,
                    case=name,
                    what=_(COVERAGE_CASES[name]),
                    got=got,
                    expected=expected,
                ),
                lambda: mistakes.explain("mode_coverage", _counts, counts, lambda a, b: a == b),
            )
    check(
        not any(result["inputs_changed"] for result in results),
        _(
            "modes_covered changed the samples or means it was given (the caller's own "
            "arrays): compute the distances into a new array."
        ),
    )


@pytest.mark.part("mode_coverage")
def test_the_count_is_an_integer_between_0_and_k(submission, mistakes):
    """Does it return a whole number of modes, for data with more modes than samples too?"""
    rng = seeded_rng("coverage two samples")
    means = _coverage_means(rng)
    picked = rng.choice(4, size=2, replace=False)
    samples = means[picked]
    args = (samples, means, 1.0, 0.5)
    result = submission.probe("mode_coverage", probes.coverage, *args)
    check(
        result["count"] == 2,
        _(
            "modes_covered on 2 samples, one at each of 2 of the 4 means (min_share 0.5), "
            "returned {got:g}, expected 2."
        ).format(got=result["count"]),
        partial(
            mistakes.explain,
            "mode_coverage",
            lambda ns: probes.coverage(ns, *args),
            result,
            lambda a, b: a["count"] == b["count"],
        ),
    )


# The ring demo's setting (solutions/ch03_gan/RESULTS.md, "Eight modes on a ring"): with seeds
# 0 to 7 the GAN ended on 1 mode (2 with seed 6) and WGAN-GP on 8, so a margin of 4 is far from
# the seed-to-seed noise. The data come from the probes' stand-in sampler (STAND_INS).
RING_RUNS = (("gan", 2000), ("wgan_gp", 500))
RING_SEED, RING_RADIUS, RING_SHARE, RING_MODES, RING_MARGIN = 0, 0.2, 0.02, 8, 4


_RING_SAMPLES = {}  # (kind, steps) -> the reference's ring demo run, once per check process


def _ring_samples(reference, kind, steps):
    """The ring demo's samples and means: course code (train_ring), trained by the reference
    once per process and given to every submission as data."""
    if (kind, steps) not in _RING_SAMPLES:
        run = reference.probe("mode_coverage", probes.ring_samples, kind, steps, RING_SEED)
        _RING_SAMPLES[kind, steps] = run
    return _RING_SAMPLES[kind, steps]


@pytest.mark.expensive
@pytest.mark.part("mode_coverage")
def test_the_ring_demo_tells_collapse_from_coverage(submission, reference):
    """On the ring demo (trained once, about 20 s), does your count give WGAN-GP clearly more
    modes?"""
    counts = {}
    for kind, steps in RING_RUNS:
        run = _ring_samples(reference, kind, steps)
        counts[kind] = submission.probe(
            "mode_coverage",
            probes.ring_modes,
            run["samples"],
            run["means"],
            RING_RADIUS,
            RING_SHARE,
        )
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
