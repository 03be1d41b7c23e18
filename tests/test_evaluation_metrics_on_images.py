"""Do FD, KID and coverage respond to real degradations the way a grader relies on?

Samples are real training images (never the reference: that is the test split), degraded
by increasing Gaussian blur or pixel noise; the same 1,000 images at every level.
"""

import numpy as np
import pytest

from igcourse.evaluation.classifier import load_evaluator
from igcourse.evaluation.coverage import class_coverage
from igcourse.evaluation.domains import DomainNotAvailable, load_split
from igcourse.evaluation.frechet import fit_gaussian, frechet_distance
from igcourse.evaluation.kid import kernel_inception_distance
from igcourse.evaluation.perturb import gaussian_blur, gaussian_noise
from igcourse.evaluation.reference import reference_features

COUNT = 1000


@pytest.fixture(scope="module")
def real():
    """(training images as floats (COUNT, 28, 28), their labels, reference features)."""
    try:
        images, labels = load_split("fashion_mnist", "train")
    except DomainNotAvailable as error:
        pytest.skip(str(error))
    pick = np.random.default_rng(0).choice(len(images), COUNT, replace=False)
    return images[pick] / np.float32(255), labels[pick], reference_features("fashion_mnist")[0]


def _features(images):
    return load_evaluator().features_and_probabilities(images)[0]


def test_a_set_is_at_distance_zero_from_itself(real):
    features = _features(real[0])
    scale = np.trace(np.cov(features.astype(np.float64), rowvar=False))
    assert frechet_distance(features, features) < 1e-9 * scale


@pytest.mark.parametrize(
    ("degrade", "levels"),
    [(gaussian_blur, [0.0, 0.5, 1.0, 1.5, 2.0]), (gaussian_noise, [0.0, 0.05, 0.1, 0.2, 0.3])],
    ids=["blur sigma", "noise std"],
)
def test_the_distance_grows_monotonically_with_the_degradation(real, degrade, levels):
    reference = fit_gaussian(real[2])
    distances = [
        frechet_distance(_features(degrade(real[0], level)), reference) for level in levels
    ]
    print(degrade.__name__, dict(zip(levels, np.round(distances, 2), strict=True)))
    assert all(b > a for a, b in zip(distances, distances[1:], strict=False)), distances
    assert distances[-1] > 10 * distances[0]


def test_kid_is_about_zero_for_one_distribution_and_larger_when_blurred(real):
    reference = real[2]
    # two halves of the test split: both sides vary from subset to subset
    same = kernel_inception_distance(reference[:5000], reference[5000:], subsets=10)
    sharp = kernel_inception_distance(_features(real[0]), reference, subsets=10)
    blurred = kernel_inception_distance(
        _features(gaussian_blur(real[0], 1.0)), reference, subsets=10
    )
    print(f"KID test/test {same.mean:.4f} (std {same.std:.4f}), train/test {sharp.mean:.4f}, ")
    print(f"blurred train/test {blurred.mean:.4f}")
    assert abs(same.mean) < 3 * same.std / np.sqrt(same.subsets)
    assert blurred.mean > 20 * max(abs(same.mean), abs(sharp.mean), same.std)


def test_a_single_class_sample_set_shows_low_coverage(real):
    images, labels, _reference = real
    trousers = images[labels == 1]
    coverage = class_coverage(load_evaluator().features_and_probabilities(trousers)[1])
    print(coverage)
    assert coverage.covered_at_share <= 0.2 and coverage.normalised_entropy < 0.2
    balanced = class_coverage(load_evaluator().features_and_probabilities(images)[1])
    assert balanced.covered_at_share == 1.0 and balanced.normalised_entropy > 0.95
