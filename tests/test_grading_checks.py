"""assert_close's own observations: a whole factor between yours and the expected value."""

import numpy as np
import pytest

from igcourse.grading.checks import CheckFailed, assert_close


def _message(actual, expected):
    with pytest.raises(CheckFailed) as failed:
        assert_close(np.asarray(actual), np.asarray(expected), "the loss")
    return str(failed.value)


def test_a_sum_where_a_mean_is_asked_is_said():
    assert "exactly 7 times the expected value" in _message(7 * 0.25, 0.25)
    assert "exactly 1/6 of the expected value" in _message([-1 / 6, 1 / 6], [-1.0, 1.0])


def test_factors_of_two_and_other_values_say_nothing_more():
    assert "Yours is" not in _message(0.5, 0.25)  # a missing 0.5 is as likely
    assert "Yours is" not in _message([1.0, 2.0], [2.0, 5.0])
    assert "Yours is" not in _message(0.0, 1.0)
