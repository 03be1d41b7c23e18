"""Is KID the unbiased MMD^2 with the cubic kernel, near 0 for one distribution?"""

import numpy as np
import pytest

from igcourse.evaluation.kid import kernel_inception_distance, mmd2_unbiased, polynomial_kernel


def test_mmd2_matches_the_definition_written_as_loops():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(6, 3)), rng.normal(0.5, 1.0, size=(5, 3))

    def k(a, b):
        return (a @ b / 3 + 1) ** 3

    xx = sum(k(x[i], x[j]) for i in range(6) for j in range(6) if i != j) / (6 * 5)
    yy = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j) / (5 * 4)
    xy = sum(k(x[i], y[j]) for i in range(6) for j in range(5)) / (6 * 5)
    assert mmd2_unbiased(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-12)


def test_the_kernel_is_cubic_in_the_scaled_dot_product():
    x = np.array([[1.0, 2.0]])
    assert polynomial_kernel(x, x)[0, 0] == pytest.approx((5 / 2 + 1) ** 3)


def test_one_distribution_scores_about_zero_and_a_shift_scores_more():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3000, 16)), rng.normal(size=(3000, 16))
    shifted = rng.normal(0.3, 1.0, size=(3000, 16))
    same = kernel_inception_distance(a, b, subsets=20, subset_size=500)
    different = kernel_inception_distance(a, shifted, subsets=20, subset_size=500)
    assert abs(same.mean) < 3 * same.std / np.sqrt(same.subsets) + 1e-3
    assert different.mean > 10 * abs(same.mean) and different.mean > 0


def test_subsets_shrink_to_the_smaller_set():
    rng = np.random.default_rng(2)
    result = kernel_inception_distance(rng.normal(size=(50, 4)), rng.normal(size=(80, 4)))
    assert result.subset_size == 50


def test_float32_kernels_agree_with_float64_on_relu_like_features():
    rng = np.random.default_rng(3)
    x = np.maximum(rng.normal(1.0, 2.0, size=(1000, 128)), 0)  # |x|^2 ~ 500, the evaluator ~ 370
    y = np.maximum(rng.normal(1.1, 2.0, size=(1000, 128)), 0)
    exact = mmd2_unbiased(x, y)
    assert mmd2_unbiased(x, y, dtype=np.float32) == pytest.approx(exact, abs=1e-4 * abs(exact))
