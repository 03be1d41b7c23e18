"""Is the Frechet distance exact where it has a closed form, and stable where sqrtm is not?"""

import numpy as np
import pytest

from igcourse.evaluation.frechet import (
    Gaussian,
    fit_gaussian,
    frechet_distance,
    real_floor,
    trace_sqrt_product,
)


def _gaussian(mean, covariance):
    return Gaussian(np.asarray(mean, float), np.asarray(covariance, float), 1000)


def test_identical_feature_sets_are_at_distance_zero():
    features = np.random.default_rng(0).normal(size=(2000, 128)) ** 2  # skewed, like ReLU
    scale = np.trace(np.cov(features, rowvar=False))
    assert frechet_distance(features, features) < 1e-9 * scale


def test_diagonal_gaussians_match_the_closed_form():
    # FD = |m_a - m_b|^2 + sum (sqrt(a_i) - sqrt(b_i))^2 for diagonal covariances
    a, b = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 0.25])
    expected = 3.0 + ((np.sqrt(a) - np.sqrt(b)) ** 2).sum()
    fd = frechet_distance(_gaussian([1, 1, 1], np.diag(a)), _gaussian([0, 0, 0], np.diag(b)))
    assert fd == pytest.approx(expected, rel=1e-12)


def test_the_trace_of_the_root_matches_a_rotated_pair():
    # rotating both covariances by the same orthogonal Q changes nothing
    rng = np.random.default_rng(1)
    q, _r = np.linalg.qr(rng.normal(size=(5, 5)))
    a, b = np.diag([1.0, 2.0, 3.0, 4.0, 5.0]), np.diag([5.0, 1.0, 2.0, 0.5, 3.0])
    expected = np.sqrt(np.diag(a) * np.diag(b)).sum()
    assert trace_sqrt_product(q @ a @ q.T, q @ b @ q.T) == pytest.approx(expected, rel=1e-10)


def test_singular_covariances_give_a_finite_real_distance():
    # fewer samples than dimensions: both covariances are rank deficient
    rng = np.random.default_rng(2)
    fd = frechet_distance(rng.normal(size=(20, 64)), rng.normal(size=(20, 64)))
    assert np.isfinite(fd) and isinstance(fd, float) and fd > 0


def test_the_distance_is_symmetric():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(500, 16)), rng.normal(1.0, 2.0, size=(500, 16))
    assert frechet_distance(x, y) == pytest.approx(frechet_distance(y, x), rel=1e-9)


def test_the_real_floor_is_small_and_shrinks_with_more_images():
    features = np.random.default_rng(4).normal(size=(20_000, 32))
    big, small = real_floor(features, 10_000), real_floor(features, 1_000)
    assert 0 < big < small < 1.0


def test_the_real_floor_refuses_overlapping_subsets():
    with pytest.raises(ValueError, match="needs 200 real images"):
        real_floor(np.zeros((150, 4)), 100)


def test_fit_gaussian_wants_two_or_more_vectors():
    with pytest.raises(ValueError, match="N >= 2"):
        fit_gaussian(np.zeros((1, 4)))
