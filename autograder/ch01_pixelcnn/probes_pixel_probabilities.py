"""Probes of pixel_probabilities: they call the code under test and return plain data only.

Each probe runs where the code under test runs (a sandbox worker when a submission is graded)
and holds no thresholds, verdicts or reference values: test_pixel_probabilities.py judges.
Random generators do not travel as data, so probes take seeds and build them here.
"""

import numpy as np

from igcourse.grading.public import run_public_checks as public_checks  # noqa: F401


def quantize(ns, images, levels):
    return ns.quantize(np.array(images), levels)


def _on_own_array(function, array, *args):
    """function(array, *args) on an array of the caller's own, and whether it changed it."""
    array = np.array(array)
    before = array.copy()
    out = function(array, *args)
    return out, not np.array_equal(array, before)


def quantize_keeps_input(ns, images, levels):
    """{"out", "changed"}: quantize on the caller's own array, and whether it changed it."""
    out, changed = _on_own_array(ns.quantize, images, levels)
    return {"out": out, "changed": changed}


def fit_pixel_model(ns, images, levels, alpha=1.0):
    return ns.fit_pixel_model(np.array(images), levels, alpha=alpha)


def sample_pixel_model(ns, probs, n, seed):
    return ns.sample_pixel_model(np.array(probs), n, np.random.default_rng(seed))


def probs_after_sampling(ns, probs, n, seed):
    """{"after": the caller's own probs array as it is after sample_pixel_model was called on
    it, "shape": the shape of the samples it returned}."""
    array = np.array(probs)
    samples = ns.sample_pixel_model(array, n, np.random.default_rng(seed))
    return {"after": array, "shape": list(np.shape(samples))}


def samples_for_seeds(ns, probs, n, seeds):
    """One call of sample_pixel_model per seed (a fresh generator each), in order."""
    return [sample_pixel_model(ns, probs, n, seed) for seed in seeds]


def leaves_global_rng_alone(ns, probs, n, seed):
    """True when sample_pixel_model leaves NumPy's global random state as it found it."""
    np.random.seed(20_161_005)  # any known state
    _name, key, position, *_rest = np.random.get_state()
    key = key.copy()
    sample_pixel_model(ns, probs, n, seed)
    _name, key_after, position_after, *_rest = np.random.get_state()
    return bool(np.array_equal(key_after, key) and position_after == position)


def pixel_model_bits_per_dim(ns, probs, images):
    return ns.pixel_model_bits_per_dim(np.array(probs), np.array(images))


def mix_pixels(ns, images, n, seed):
    return ns.mix_pixels(np.array(images), n, np.random.default_rng(seed))


def mixes_for_seeds(ns, images, n, seeds):
    """One call of mix_pixels per seed (a fresh generator each), in order."""
    return [mix_pixels(ns, images, n, seed) for seed in seeds]
