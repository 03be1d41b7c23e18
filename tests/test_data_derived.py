"""Are the offline derived datasets deterministic, sensible, and readable by the real loaders?"""

import hashlib

import cv2
import numpy as np
import pytest

from igcourse.data import LabelMapFolder, PairedFolder, load_fashion_mnist, unpaired_sources
from igcourse.data.derived import (
    LABEL_PALETTE,
    build_edges2shoes,
    build_label_maps,
    build_unpaired,
    write_label_maps,
    write_paired,
    write_unpaired,
)
from igcourse.data.fashion_mnist import DEBIAN_DIR


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def fmnist():
    """Fashion-MNIST's test split, or a synthetic stand-in where the package is missing."""
    if DEBIAN_DIR.exists():
        images, labels = load_fashion_mnist("test")
        return images[:3000], labels[:3000]
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10, dtype=np.uint8), 60)
    images = np.zeros((600, 28, 28), np.uint8)
    for i in range(600):
        h, w = rng.integers(8, 14, 2)
        images[i, 14 - h : 14 + h, 14 - w : 14 + w] = rng.integers(60, 255)
    return images, labels


def test_edges2shoes_is_deterministic(fmnist):
    one = build_edges2shoes(seed=3, limit=50, data=fmnist)
    two = build_edges2shoes(seed=3, limit=50, data=fmnist)
    other = build_edges2shoes(seed=4, limit=50, data=fmnist)
    assert digest(one.edges, one.shoes) == digest(two.edges, two.shoes)
    assert digest(one.edges, one.shoes) != digest(other.edges, other.shoes)


def test_edges2shoes_pairs_footwear_with_its_own_outline(fmnist):
    pairs = build_edges2shoes(size=32, limit=100, data=fmnist)
    assert pairs.edges.shape == pairs.shoes.shape == (100, 32, 32)
    assert set(np.unique(pairs.labels)) <= {5, 7, 9}
    assert set(np.unique(pairs.edges)) == {0, 255}  # dark lines on white
    on_edge = pairs.edges == 0
    assert 0.02 < on_edge.mean() < 0.4
    # Edges lie on the shoe or right next to it, never far out in the background.
    near_item = np.stack(
        [cv2.dilate((s > 10).astype(np.uint8), np.ones((3, 3))) > 0 for s in pairs.shoes]
    )
    assert (on_edge & ~near_item).mean() < 0.005
    # And each edge map belongs to its shoe: it matches its own shoe better than another's.
    own = (on_edge & near_item).mean()
    shuffled = (on_edge & np.roll(near_item, 1, axis=0)).mean()
    assert own > shuffled


def test_unpaired_domains_hold_one_class_each_and_are_deterministic(fmnist):
    images, labels = fmnist
    one = build_unpaired("sneaker2boot", limit=40, data=fmnist)
    assert one.names == ("Sneaker", "Ankle boot") and len(one.a) == len(one.b) == 40
    sneakers = {digest(x) for x in images[labels == 7]}
    boots = {digest(x) for x in images[labels == 9]}
    assert {digest(x) for x in one.a} <= sneakers and {digest(x) for x in one.b} <= boots
    again = build_unpaired(("Sneaker", "Ankle boot"), limit=40, data=fmnist)
    assert digest(one.a, one.b) == digest(again.a, again.b)


def test_label_maps_colour_each_item_by_its_class(fmnist):
    maps = build_label_maps(limit=200, seed=1, data=fmnist)
    for image, labels, cls in zip(maps.images, maps.labels, maps.classes, strict=True):
        assert set(np.unique(labels)) <= {0, cls + 1}
        assert labels[image > 16].min() == cls + 1  # every bright pixel is the item
    fraction = (maps.labels > 0).mean(axis=(1, 2))
    assert 0.05 < fraction.min() and fraction.max() < 0.95
    assert np.array_equal(maps.colours, LABEL_PALETTE[maps.labels])
    assert len({tuple(c) for c in LABEL_PALETTE}) == 11
    again = build_label_maps(limit=200, seed=1, data=fmnist)
    assert digest(maps.labels, maps.colours) == digest(again.labels, again.colours)


def test_derived_sets_written_to_disk_read_back_with_the_real_loaders(fmnist, tmp_path):
    pairs = build_edges2shoes(limit=6, data=fmnist)
    write_paired(tmp_path / "e2s", pairs.edges, pairs.shoes)
    edges, shoes = PairedFolder(tmp_path / "e2s", "train", value_range=None, grayscale=True).take(
        [0]
    )
    assert np.array_equal(edges[0], pairs.edges[0]) and np.array_equal(shoes[0], pairs.shoes[0])

    unpaired = build_unpaired("tshirt2shirt", limit=4, data=fmnist)
    write_unpaired(tmp_path / "t2s", unpaired.a, unpaired.b)
    a, b = unpaired_sources(tmp_path / "t2s", size=(28, 28), value_range=None)
    assert len(a) == len(b) == 4 and a.take([0])[0].shape == (1, 28, 28, 3)

    maps = build_label_maps(limit=3, data=fmnist)
    write_label_maps(tmp_path / "spade", maps.images, maps.labels, maps.colours)
    folder = LabelMapFolder(tmp_path / "spade", label_suffix=".bmp", num_classes=11)
    _images, labels = folder.take([0, 1, 2])
    assert np.array_equal(labels, maps.labels)
