"""Does the Fashion-MNIST loader read IDX files like Debian's, and explain what is missing?"""

import gzip
from pathlib import Path

import numpy as np
import pytest

from igcourse.data import load_fashion_mnist, read_idx
from igcourse.data.fashion_mnist import DEBIAN_DIR, DatasetNotFound
from igcourse.data.idx import IDXFormatError

FIXTURE = Path(__file__).parent / "fixtures" / "fashion_mnist"


def test_the_fixture_loads_with_shapes_dtypes_and_labels(monkeypatch):
    monkeypatch.setenv("IGCOURSE_FASHION_MNIST_DIR", str(FIXTURE))
    images, labels = load_fashion_mnist("train")
    assert images.shape == (20, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (20,) and set(labels) <= set(range(10))
    assert 0 < images.mean() < 255


@pytest.mark.skipif(not DEBIAN_DIR.exists(), reason="dataset-fashion-mnist not installed")
def test_the_debian_package_gives_the_full_dataset(monkeypatch):
    monkeypatch.delenv("IGCOURSE_FASHION_MNIST_DIR", raising=False)
    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    assert train[0].shape == (60000, 28, 28) and test[0].shape == (10000, 28, 28)
    assert np.bincount(test[1]).tolist() == [1000] * 10


def test_a_missing_dataset_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("IGCOURSE_FASHION_MNIST_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFound, match="apt-get install dataset-fashion-mnist"):
        load_fashion_mnist("test")


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        load_fashion_mnist("validation")


def test_plain_and_gzipped_idx_read_alike(tmp_path):
    payload = bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(6))
    (tmp_path / "a").write_bytes(payload)
    with gzip.open(tmp_path / "a.gz", "wb") as f:
        f.write(payload)
    for name in ("a", "a.gz"):
        assert read_idx(tmp_path / name).tolist() == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize(
    "payload", [b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", b"\x00\x00\x08\x01\x00\x00\x00\x05\x01"]
)
def test_a_corrupt_idx_file_is_a_clear_error(tmp_path, payload):
    (tmp_path / "bad").write_bytes(payload)
    with pytest.raises(IDXFormatError):
        read_idx(tmp_path / "bad")
