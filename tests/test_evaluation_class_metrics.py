"""Do coverage, entropy, class consistency and bits/dim say what their definitions say?"""

import math

import numpy as np
import pytest

from igcourse.evaluation.bits_per_dim import bits_per_dim
from igcourse.evaluation.consistency import class_consistency
from igcourse.evaluation.coverage import class_coverage


def _one_hot(classes, k=10):
    return np.eye(k)[np.asarray(classes)]


def test_a_balanced_set_covers_every_class_with_maximal_entropy():
    coverage = class_coverage(_one_hot(np.arange(1000) % 10))
    assert coverage.covered == coverage.covered_at_share == 1.0
    assert coverage.entropy_bits == pytest.approx(math.log2(10))
    assert coverage.normalised_entropy == pytest.approx(1.0)


def test_a_single_class_set_covers_one_tenth_with_zero_entropy():
    coverage = class_coverage(_one_hot([3] * 500))
    assert coverage.covered == coverage.covered_at_share == 0.1
    assert coverage.entropy_bits == 0.0


def test_a_class_below_the_share_counts_as_present_but_not_covered():
    classes = [0] * 990 + [1] * 10  # class 1 gets 1%, below the default 2%
    coverage = class_coverage(_one_hot(classes))
    assert coverage.covered == pytest.approx(0.2) and coverage.covered_at_share == 0.1


def test_consistency_is_accuracy_against_the_intended_labels():
    predicted = _one_hot([0, 1, 2, 2])
    result = class_consistency(predicted, [0, 1, 2, 3])
    assert result.accuracy == 0.75
    assert result.per_class[:4] == (1.0, 1.0, 1.0, 0.0) and math.isnan(result.per_class[9])


def test_consistency_refuses_labels_that_do_not_fit():
    with pytest.raises(ValueError, match="3 labels for 4 samples"):
        class_consistency(_one_hot([0, 1, 2, 2]), [0, 1, 2])
    with pytest.raises(ValueError, match=r"\[0, 9\]"):
        class_consistency(_one_hot([0]), [10])


def test_bits_per_dim_of_a_uniform_model_is_eight():
    # a uniform distribution over 256 levels: NLL = 784 ln 256 nats per image
    assert bits_per_dim(784 * math.log(256), per="image") == pytest.approx(8.0)
    assert bits_per_dim(math.log(256), per="dim") == pytest.approx(8.0)


def test_a_continuous_density_on_unit_scaled_pixels_adds_log_256():
    # uniform density on [0, 1)^D has NLL 0; discretised to 256 levels that is 8 bits/dim
    assert bits_per_dim(0.0, per="image", scale=256) == pytest.approx(8.0)


def test_bits_per_dim_refuses_an_unknown_unit():
    with pytest.raises(ValueError, match="'image' or 'dim'"):
        bits_per_dim(1.0, per="pixel")
