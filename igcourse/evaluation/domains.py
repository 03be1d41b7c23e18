"""The domains an evaluator exists for: where their images come from and their class names."""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from igcourse.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist
from igcourse.data.idx import read_idx
from igcourse.i18n import _

MNIST_CLASSES = tuple(str(digit) for digit in range(10))
_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DomainNotAvailable(FileNotFoundError):
    """A domain's images are not on this machine; the message says how to get them."""


def load_mnist(split="train"):
    """Return (images uint8 (N, 28, 28), labels uint8 (N,)) of MNIST from $IGCOURSE_MNIST_DIR.

    MNIST is online only: the folder must hold the four IDX files (plain or .gz) as
    published by LeCun et al.; nothing here downloads them.
    """
    folder = os.environ.get("IGCOURSE_MNIST_DIR")
    paths = []
    for name in _MNIST_FILES[split]:
        found = None
        if folder:
            for candidate in (Path(folder) / name, Path(folder) / f"{name}.gz"):
                if candidate.exists():
                    found = candidate
                    break
        paths.append(found)
    if None in paths:
        raise DomainNotAvailable(
            _(
                "MNIST ({split}) is not on this machine: it is online only. Download the four "
                "IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) and set "
                "IGCOURSE_MNIST_DIR to their folder (now: {folder})."
            ).format(split=split, folder=folder or _("not set"))
        )
    images, labels = (np.asarray(read_idx(path)) for path in paths)
    return images, labels


def _load_fashion_mnist(split):
    try:
        return load_fashion_mnist(split)
    except FileNotFoundError as error:
        raise DomainNotAvailable(str(error)) from error


@dataclass(frozen=True)
class Domain:
    """One image domain with an evaluator: 28x28 greyscale images in 10 classes."""

    name: str  # the key used by evaluate_samples(reference=...) and the weights' file names
    classes: tuple  # class names, index = label
    load: object  # split -> (uint8 images (N, 28, 28), labels (N,))


DOMAINS = {
    "fashion_mnist": Domain("fashion_mnist", FASHION_MNIST_CLASSES, _load_fashion_mnist),
    "mnist": Domain("mnist", MNIST_CLASSES, load_mnist),
}


@functools.cache
def load_split(name, split):
    """(images, labels) of a domain's split, read (and decompressed) once per process."""
    images, labels = get_domain(name).load(split)
    images.setflags(write=False)  # shared by every caller: nobody may change them
    labels.setflags(write=False)
    return images, labels


def get_domain(name):
    """The Domain called `name`, or a ValueError listing the known ones."""
    if name not in DOMAINS:
        raise ValueError(
            _("unknown reference domain {name!r}; known: {known}").format(
                name=name, known=", ".join(DOMAINS)
            )
        )
    return DOMAINS[name]
