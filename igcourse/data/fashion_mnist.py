"""Fashion-MNIST from local IDX files (Debian's dataset-fashion-mnist package by default)."""

import os
from pathlib import Path

import numpy as np

from igcourse.data.idx import read_idx

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DatasetNotFound(FileNotFoundError):
    """A dataset is not on this machine; the message says how to get it."""


def _search_dirs():
    custom = os.environ.get("IGCOURSE_FASHION_MNIST_DIR")
    return [Path(custom)] if custom else [DEBIAN_DIR]


def _find(name):
    for folder in _search_dirs():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                return candidate
    return None


def load_fashion_mnist(split="train"):
    """Return (images, labels) of a Fashion-MNIST split.

    images: uint8 array (N, 28, 28); labels: uint8 array (N,) of class indices.
    Files are looked up in $IGCOURSE_FASHION_MNIST_DIR, else in Debian's package folder.
    """
    if split not in _FILES:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    paths = [_find(name) for name in _FILES[split]]
    if None in paths:
        searched = ", ".join(str(d) for d in _search_dirs())
        raise DatasetNotFound(
            f"Fashion-MNIST ({split}) was not found in {searched}. "
            "Install it with: sudo apt-get install dataset-fashion-mnist "
            "(or set IGCOURSE_FASHION_MNIST_DIR to a folder with the IDX files)."
        )
    images, labels = (read_idx(p) for p in paths)
    if len(images) != len(labels):
        raise ValueError(f"Fashion-MNIST {split}: {len(images)} images but {len(labels)} labels")
    return np.asarray(images), np.asarray(labels)
