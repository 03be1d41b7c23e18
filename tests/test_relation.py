"""relation_note: a sentence only when the wrong array is exactly a simple transform of the
right one, and silence otherwise (a wrong relation would misname the mistake)."""

import numpy as np
import pytest

from igcourse.checks.relation import relation_note

RNG = np.random.default_rng(0)
EXPECTED = RNG.normal(size=(4, 5, 3))


@pytest.mark.parametrize(
    ("actual", "words"),
    [
        (6 * EXPECTED, "exactly 6 times"),
        (EXPECTED / 4, "1/4 of the expected"),
        (-EXPECTED, "opposite sign"),
        (np.transpose(EXPECTED.reshape(4, 5, 3), (0, 1, 2))[:, :, ::-1], "reversed along axis 2"),
        (np.roll(EXPECTED, 1, axis=1), "shifted by one place along axis 1"),
        (EXPECTED + 0.5, "plus 0.5 at every position"),
        (np.where(np.arange(4)[:, None, None] == 3, 0.0, EXPECTED), "except at the last entry"),
        (np.where(np.arange(4)[:, None, None] == 0, 0.0, EXPECTED), "except at the first entry"),
    ],
)
def test_names_the_relation(actual, words):
    assert words in relation_note(actual, EXPECTED)


def test_axes_swapped_and_reshape_for_transpose():
    square = RNG.normal(size=(3, 3))
    assert "transposed to axes (1, 0)" in relation_note(square.T, square)
    x = RNG.normal(size=(2, 3, 4))  # the task moves x's axes to (3, 2, 4)...
    expected = np.transpose(x, (1, 0, 2))
    assert "reshape" in relation_note(x.reshape(expected.shape), expected)  # ...yours reshaped


def test_wrapped_integers():
    expected = np.array([0, 64, 128, 191, 255])
    assert "integer overflow" in relation_note(expected - np.array([0, 0, 256, 256, 0]), expected)


def test_rows_in_another_order():
    u = np.linspace(-1, 1, 3)
    expected = np.array([(u[j], u[2 - i]) for i in range(3) for j in range(3)])
    columns_first = np.array([(u[i], u[2 - j]) for i in range(3) for j in range(3)])
    assert "entries along axis 0, but in another order" in relation_note(columns_first, expected)


def test_same_values_elsewhere():
    expected = np.arange(12.0).reshape(3, 4)
    shuffled = expected.ravel()[[0, 5, 2, 3, 4, 1, 6, 7, 8, 9, 11, 10]].reshape(3, 4)
    assert "at other positions" in relation_note(shuffled, expected)


@pytest.mark.parametrize(
    "actual",
    [
        EXPECTED + RNG.normal(scale=0.1, size=EXPECTED.shape),  # wrong everywhere, no pattern
        2 * EXPECTED,  # a factor of 2 has other causes than a sum for a mean
        EXPECTED[:, :, :2],  # another shape
        np.where(EXPECTED > 0, np.nan, EXPECTED),  # not finite
        EXPECTED,  # right
    ],
)
def test_silent_without_an_exact_relation(actual):
    assert relation_note(actual, EXPECTED) == ""


def test_an_edge_of_another_axis_is_not_named():
    """Images that show a code in their first row of pixels differ only there."""
    images = np.zeros((5, 6, 6))
    images[:, 0, :] = RNG.normal(size=(5, 6))
    wrong = images.copy()
    wrong[:, 0, :] += 0.1
    assert relation_note(wrong, images) == ""


def test_few_distinct_values_name_no_reordering():
    expected = np.array([[0.0, 1.0], [1.0, 0.0]])  # its transpose is itself, its flip a swap
    assert relation_note(expected[::-1], expected) == ""
