"""Fashion-MNIST from local IDX files (Debian's dataset-fashion-mnist package by default)."""

import os
from pathlib import Path

import numpy as np

from igcourse.data.cache import dataset_dir
from igcourse.data.errors import DatasetNotFound
from igcourse.data.idx import read_idx
from igcourse.i18n import _

__all__ = ["DEBIAN_DIR", "FASHION_MNIST_CLASSES", "DatasetNotFound", "load_fashion_mnist"]

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


def _search_dirs():
    custom = os.environ.get("IGCOURSE_FASHION_MNIST_DIR")
    return [Path(custom)] if custom else [DEBIAN_DIR, dataset_dir("fashion-mnist")]


def _find(name):
    for folder in _search_dirs():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                return candidate
    return None


def class_index(name):
    """The label of a Fashion-MNIST class given by name ("Sneaker") or index (7)."""
    if isinstance(name, (int, np.integer)):
        if not 0 <= name < len(FASHION_MNIST_CLASSES):
            raise ValueError(_("no Fashion-MNIST class {index}").format(index=name))
        return int(name)
    if name not in FASHION_MNIST_CLASSES:
        raise ValueError(
            _("no Fashion-MNIST class {name!r}; the classes are: {classes}").format(
                name=name, classes=", ".join(FASHION_MNIST_CLASSES)
            )
        )
    return FASHION_MNIST_CLASSES.index(name)


def load_fashion_mnist(split="train"):
    """Return (images, labels) of a Fashion-MNIST split.

    images: uint8 array (N, 28, 28); labels: uint8 array (N,) of class indices.
    Files are looked up in $IGCOURSE_FASHION_MNIST_DIR, else in Debian's package folder,
    then in the cache where `igcourse data fetch fashion-mnist` puts them.
    """
    if split not in _FILES:
        raise ValueError(_("split must be 'train' or 'test', not {split!r}").format(split=split))
    paths = [_find(name) for name in _FILES[split]]
    if None in paths:
        searched = ", ".join(str(d) for d in _search_dirs())
        raise DatasetNotFound(
            _(
                "Fashion-MNIST ({split}) was not found in {searched}. "
                "Install it with: sudo apt-get install dataset-fashion-mnist "
                "(or run `igcourse data fetch fashion-mnist`, or set "
                "IGCOURSE_FASHION_MNIST_DIR to a folder with the IDX files)."
            ).format(split=split, searched=searched)
        )
    images, labels = (read_idx(p) for p in paths)
    if len(images) != len(labels):
        raise ValueError(
            _("Fashion-MNIST {split}: {n_images} images but {n_labels} labels").format(
                split=split, n_images=len(images), n_labels=len(labels)
            )
        )
    return np.asarray(images), np.asarray(labels)
