"""Probes of mode_collapse: they run the code under test and return plain data only."""

import numpy as np

from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def mixture(ns, n, means, covariances, seed):
    """sample_mixture's points and components."""
    points, components = ns.sample_mixture(
        n, np.asarray(means, np.float64), np.asarray(covariances, np.float64), seed
    )
    return {"points": np.asarray(points), "components": np.asarray(components)}


def mixture_errors(ns, means, covariance_sets):
    """For each set of covariances: the name of the error sample_mixture raises, or None."""
    raised = []
    for covariances in covariance_sets:
        try:
            ns.sample_mixture(20, np.asarray(means), np.asarray(covariances, np.float64), 0)
            raised.append(None)
        except NotImplementedError:
            raise
        except Exception as error:  # noqa: BLE001 (which error is the question)
            raised.append(type(error).__name__)
    return raised


def coverage(ns, samples, means, radius, min_share):
    """modes_covered on the given samples, as a number."""
    value = ns.modes_covered(np.asarray(samples), np.asarray(means), radius, min_share)
    return float(np.asarray(value))


def ring_training(ns, kind, steps, seed, radius, min_share):
    """The notebook's ring demo: train_ring's samples and modes_covered's count on them."""
    samples = np.asarray(ns.train_ring(kind, steps, seed))
    means, _covariances = ns.ring_mixture()
    count = ns.modes_covered(samples, np.asarray(means), radius, min_share)
    return {"samples": samples, "modes": float(np.asarray(count))}
