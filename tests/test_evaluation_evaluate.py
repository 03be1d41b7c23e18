"""Does evaluate_samples give every metric, JSON-ready, and a summary a person can read?"""

import json

import numpy as np
import pytest

from igcourse.evaluation import evaluate_samples, summarize
from igcourse.evaluation.domains import DomainNotAvailable, load_split

KEYS = {
    "fd", "fd_floor", "kid", "kid_std", "classes_covered", "classes_covered_at_share",
    "class_histogram", "class_entropy_bits", "class_consistency", "copies_flagged",
    "copies_count", "copy_threshold", "evaluator_test_accuracy", "seconds",
}  # fmt: skip


@pytest.fixture(scope="module")
def test_split():
    try:
        images, labels = load_split("fashion_mnist", "test")
    except DomainNotAvailable as error:
        pytest.skip(str(error))
    return images / np.float32(255), labels


def test_real_unseen_images_score_like_a_perfect_generator(test_split):
    # test images are part of the reference, so compare training images instead
    try:
        train_images, train_labels = load_split("fashion_mnist", "train")
    except DomainNotAvailable as error:
        pytest.skip(str(error))
    pick = np.random.default_rng(1).choice(len(train_images), 2000, replace=False)
    result = evaluate_samples(
        train_images[pick] / np.float32(255), train_labels[pick], kid_subsets=10
    )
    assert KEYS <= set(result) and json.loads(json.dumps(result)) == result
    assert result["samples"] == result["fd_floor_images"] == 2000
    assert result["fd"] < 1.5 * result["fd_floor"]
    assert abs(result["kid"]) < 0.3  # blurring by 1 pixel scores about 4.5
    assert result["classes_covered_at_share"] == 1.0
    assert result["class_consistency"] > 0.92  # training images: above the test accuracy
    assert result["copies_flagged"] == 1.0  # they are the training set


def test_a_collapsed_unconditional_generator_is_described_in_words(test_split):
    images, labels = test_split
    bags = images[labels == 8][:500]
    result = evaluate_samples(bags, kid_subsets=5)
    assert result["class_consistency"] is None and result["classes_covered_at_share"] <= 0.2
    assert result["fd"] > 10 * result["fd_floor"]
    text = summarize(result)
    print(text)
    assert "Frechet distance" in text and "Bag" in text and "class consistency" not in text


def test_labels_that_a_generator_ignores_give_chance_consistency(test_split):
    images, labels = test_split
    shuffled = np.random.default_rng(0).permutation(labels[:2000])
    shuffled[shuffled == 9] = 0  # no sample asks for class 9
    result = evaluate_samples(images[:2000], shuffled, kid_subsets=5)
    assert result["class_consistency"] < 0.2
    assert result["class_consistency_per_class"][9] is None
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert "class consistency" in summarize(result)
