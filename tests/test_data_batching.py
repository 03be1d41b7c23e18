"""Are batches seeded, fixed in shape and complete; are value ranges and resizing right?"""

import cv2
import numpy as np
import pytest

from igcourse.data import ArraySource, Batches, as_tf_dataset, batches, from_range, to_range
from igcourse.data.images import interpolation_for, resize, resize_batch


def toy(n=10):
    return np.arange(n * 4, dtype=np.uint8).reshape(n, 2, 2), np.arange(n)


def epoch_labels(b):
    return np.concatenate([labels for _images, labels in b])


def test_the_same_seed_gives_the_same_order_and_another_seed_another():
    x, y = toy(50)
    assert np.array_equal(
        epoch_labels(batches(x, y, batch_size=5, seed=3)),
        epoch_labels(batches(x, y, batch_size=5, seed=3)),
    )
    assert not np.array_equal(
        epoch_labels(batches(x, y, batch_size=5, seed=3)),
        epoch_labels(batches(x, y, batch_size=5, seed=4)),
    )


def test_each_epoch_is_a_new_permutation_of_every_item():
    x, y = toy(20)
    b = batches(x, y, batch_size=5, seed=0)
    first, second = epoch_labels(b), epoch_labels(b)
    assert sorted(first) == sorted(second) == list(range(20))
    assert not np.array_equal(first, second)


def test_images_stay_with_their_labels():
    x, y = toy(12)
    for images, labels in batches(x, y, batch_size=4):
        assert np.array_equal(images, x[labels])


def test_drop_remainder_keeps_every_batch_full():
    x, y = toy(10)
    shapes = [images.shape for images, _labels in batches(x, y, batch_size=4)]
    assert shapes == [(4, 2, 2)] * 2
    kept = [len(l) for _i, l in batches(x, y, batch_size=4, drop_remainder=False, shuffle=False)]
    assert kept == [4, 4, 2]


def test_too_few_items_for_one_batch_is_an_error_not_an_empty_epoch():
    with pytest.raises(ValueError, match="no full batch"):
        Batches(ArraySource(*toy(3)), 4)


@pytest.mark.parametrize("value_range, low, high", [((0, 1), 0.0, 1.0), ((-1, 1), -1.0, 1.0)])
def test_value_ranges_map_0_and_255_to_the_ends(value_range, low, high):
    pixels = np.array([0, 255, 128], np.uint8)
    scaled = to_range(pixels, value_range)
    assert scaled.dtype == np.float32 and scaled[0] == low and scaled[1] == high
    assert np.array_equal(from_range(scaled, value_range), pixels)
    assert to_range(pixels, None) is not None and to_range(pixels, None).dtype == np.uint8


def test_interpolation_fits_the_resize():
    assert interpolation_for((218, 178), (64, 64)) == cv2.INTER_AREA
    assert interpolation_for((28, 28), (32, 32)) == cv2.INTER_CUBIC
    assert interpolation_for((28, 28), (32, 32), upscale="linear") == cv2.INTER_LINEAR
    assert interpolation_for((256, 256), (64, 64), kind="label") == cv2.INTER_NEAREST


def test_a_label_map_keeps_its_classes_when_resized():
    labels = np.zeros((8, 8), np.uint8)
    labels[:, 4:] = 7
    for size in ((3, 5), (16, 16)):
        assert set(np.unique(resize(labels, size, kind="label"))) == {0, 7}
    assert len(np.unique(resize(labels, (3, 5)))) > 2  # an image resize blends them


def test_downscaling_averages_instead_of_aliasing():
    stripes = np.tile(np.array([0, 255], np.uint8), (64, 32))  # 1-pixel stripes
    small = resize(stripes, (16, 16))
    assert np.abs(small.astype(int) - 128).max() <= 1
    assert resize_batch(stripes[None], 16).shape == (1, 16, 16)


def test_the_tf_data_adapter_yields_the_same_batches_with_fixed_shapes():
    x, y = toy(12)
    dataset = as_tf_dataset(batches(to_range(x), y, batch_size=4, seed=1))
    assert dataset.element_spec[0].shape.as_list() == [4, 2, 2]
    expected = epoch_labels(batches(x, y, batch_size=4, seed=1))
    got = np.concatenate([labels.numpy() for _images, labels in dataset])
    assert np.array_equal(got, expected)
