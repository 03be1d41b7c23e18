"""Probes of mode_collapse: they run the code under test and return plain data only.

Every array goes to the code under test as a fresh copy that it may change, and the probe says
whether it did (a function must leave its caller's arrays alone).

Parts are graded apart (STAND_INS): the ring demo (mode_coverage) trains on data from
sample_mixture, so it runs with a stand-in sampler that is not an answer of mixture_sampling:
it reads only the diagonal of each covariance (the ring's are isotropic) and checks nothing.
"""

import numpy as np

from igcourse.grading.probing import raise_if_unanswered
from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def _stand_in_mixture(n, means, covariances, seed):
    """Not the task's sampler: isotropic components only (the mean of each covariance's
    diagonal as the variance), no validation; the documented outputs, from default_rng(seed)."""
    means = np.asarray(means, np.float64)
    spread = np.sqrt(np.mean(np.diagonal(np.asarray(covariances, np.float64), 0, 1, 2), axis=1))
    rng = np.random.default_rng(seed)
    components = rng.integers(0, len(means), size=n)
    points = means[components] + spread[components, None] * rng.standard_normal((n, 2))
    return points.astype(np.float32), components


STAND_INS = {"mode_coverage": {"sample_mixture": "_stand_in_mixture"}}


def _copies(*arrays):
    """Fresh float64 arrays to hand over, and copies of them to compare with afterwards."""
    given = [np.array(a, np.float64) for a in arrays]
    return given, [a.copy() for a in given]


def _changed(given, kept):
    return not all(np.array_equal(g, k) for g, k in zip(given, kept, strict=True))


def mixture(ns, n, means, covariances, seed):
    """sample_mixture's points and components, and whether it changed its arrays."""
    (means, covariances), kept = _copies(means, covariances)
    points, components = ns.sample_mixture(n, means, covariances, seed)
    return {
        "points": np.asarray(points),
        "components": np.asarray(components),
        "inputs_changed": _changed([means, covariances], kept),
    }


def mixture_global_state(ns, n, means, covariances, seed):
    """Whether sample_mixture changed NumPy's global random state (np.random.seed, np.random.*)."""
    (means, covariances), _kept = _copies(means, covariances)
    np.random.seed((int(seed) + 1) % 2**32)  # a state unlike seed's
    before = np.random.get_state()
    points, components = ns.sample_mixture(n, means, covariances, seed)
    after = np.random.get_state()
    same = before[0] == after[0] and all(
        np.array_equal(b, a) for b, a in zip(before[1:], after[1:], strict=True)
    )
    # Again from another global state: reseeding np.random reproduces, drawing from it not.
    np.random.seed((int(seed) + 2) % 2**32)
    (means, covariances), _kept = _copies(means, covariances)
    again, _components = ns.sample_mixture(n, means, covariances, seed)
    return {
        "global_state_changed": not same,
        "reproducible": bool(np.array_equal(np.asarray(points), np.asarray(again))),
        "points": np.asarray(points),
        "components": np.asarray(components),
    }


def mixture_errors(ns, means, covariance_sets):
    """For each set of covariances: the name of the error sample_mixture raises, or None."""
    raised = []
    for covariances in covariance_sets:
        (given_means, given), _kept = _copies(means, covariances)
        try:
            ns.sample_mixture(20, given_means, given, 0)
            raised.append(None)
        except Exception as error:  # noqa: BLE001 (which error is the question)
            raise_if_unanswered(error)
            raised.append(type(error).__name__)
    return raised


def mixture_or_error(ns, n, means, covariances, seed):
    """mixture(), or {"error": name} when sample_mixture raised."""
    try:
        return mixture(ns, n, means, covariances, seed)
    except Exception as error:  # noqa: BLE001 (which error is the question)
        raise_if_unanswered(error)
        return {"error": type(error).__name__}


def coverage(ns, samples, means, radius, min_share):
    """modes_covered on the given samples, as a number, and whether it changed its arrays."""
    (samples, means), kept = _copies(samples, means)
    value = ns.modes_covered(samples, means, radius, min_share)
    return {"count": float(np.asarray(value)), "inputs_changed": _changed([samples, means], kept)}


def ring_samples(ns, kind, steps, seed):
    """The notebook's ring demo: train_ring's samples and the ring's means (course code, run on
    the reference once per check process, so that a submission is not trained again)."""
    samples = np.asarray(ns.train_ring(kind, steps, seed))
    means, _covariances = ns.ring_mixture()
    return {"samples": samples, "means": np.asarray(means)}


def ring_modes(ns, samples, means, radius, min_share):
    """modes_covered's count on the ring demo's samples."""
    count = ns.modes_covered(np.asarray(samples), np.asarray(means), radius, min_share)
    return float(np.asarray(count))
