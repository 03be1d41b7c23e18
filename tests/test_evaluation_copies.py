"""Does the copy check flag near-copies of training images and spare real unseen images?"""

import numpy as np
import pytest

from igcourse.evaluation import perturb
from igcourse.evaluation.copies import THRESHOLDS, calibrate_threshold, check_copies
from igcourse.evaluation.domains import DomainNotAvailable, load_split

COPIES = 2000

LIGHT_PERTURBATIONS = {
    "exact": lambda x: x,
    "noise std 0.02": lambda x: perturb.gaussian_noise(x, 0.02, seed=1),
    "noise std 0.05": lambda x: perturb.gaussian_noise(x, 0.05, seed=2),
    "brightness 0.8": lambda x: perturb.brightness(x, 0.8),
    "brightness 1.1": lambda x: perturb.brightness(x, 1.1),
    "16 grey levels": lambda x: perturb.quantize(x, 16),
    "noise, dimmer, 16 levels": lambda x: perturb.quantize(
        perturb.brightness(perturb.gaussian_noise(x, 0.03, seed=3), 0.9), 16
    ),
}


@pytest.fixture(scope="module")
def splits():
    try:
        train, test = load_split("fashion_mnist", "train"), load_split("fashion_mnist", "test")
    except DomainNotAvailable as error:
        pytest.skip(str(error))
    return train[0] / np.float32(255), test[0] / np.float32(255)


@pytest.mark.parametrize("name", LIGHT_PERTURBATIONS)
def test_copies_of_training_images_are_caught(splits, name):
    train, _test = splits
    originals = train[np.random.default_rng(0).choice(len(train), COPIES, replace=False)]
    result = check_copies(LIGHT_PERTURBATIONS[name](originals))
    print(f"{name}: {result.fraction_flagged:.2%} flagged")
    assert result.fraction_flagged >= 0.99


def test_real_test_images_are_rarely_flagged(splits):
    _train, test = splits
    result = check_copies(test)
    held_out = result.flagged[5000:].mean()  # the threshold was calibrated on 0-4999
    print(f"test images flagged: {result.fraction_flagged:.2%}, held-out half {held_out:.2%}")
    assert result.fraction_flagged <= 0.01 and held_out <= 0.01


def test_the_committed_threshold_is_the_calibrated_one(splits):
    assert calibrate_threshold("fashion_mnist") == pytest.approx(
        THRESHOLDS["fashion_mnist"], rel=1e-4
    )


def test_blank_and_flat_images_are_nobodys_copies(splits):
    flat = np.stack([np.zeros((28, 28)), np.full((28, 28), 0.5), np.ones((28, 28))])
    assert not check_copies(flat.astype(np.float32)).flagged.any()
