"""MNIST from the IDX files that `igcourse data fetch mnist` puts in the cache."""

from pathlib import Path

import numpy as np

from igcourse.data.errors import DatasetNotFound
from igcourse.data.idx import read_idx
from igcourse.i18n import _

IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def load_idx_split(folder, split="train"):
    """(images uint8 (N, H, W), labels uint8 (N,)) from an MNIST-style IDX folder."""
    if split not in IDX_FILES:
        raise ValueError(_("split must be 'train' or 'test', not {split!r}").format(split=split))
    folder = Path(folder)
    paths = []
    for name in IDX_FILES[split]:
        found = [p for p in (folder / name, folder / f"{name}.gz") if p.exists()]
        if not found:
            raise DatasetNotFound(
                _("{name}(.gz) is not in {folder}").format(name=name, folder=folder)
            )
        paths.append(found[0])
    images, labels = (np.asarray(read_idx(p)) for p in paths)
    if len(images) != len(labels):
        raise ValueError(
            _("{folder}: {n_images} images but {n_labels} labels").format(
                folder=folder, n_images=len(images), n_labels=len(labels)
            )
        )
    return images, labels


def load_mnist(split="train", folder=None, cache_dir=None):
    """(images uint8 (N, 28, 28), labels uint8 (N,)) of an MNIST split.

    folder: where the IDX files are; default: where `igcourse data fetch mnist` put them.
    """
    if folder is None:
        from igcourse.data.fetch import where

        folder = where("mnist", cache_dir)
        if folder is None:
            raise DatasetNotFound(
                _(
                    "MNIST is not on this machine. Get it with `igcourse data fetch mnist` "
                    "(about 12 MB), or use Fashion-MNIST, which works offline."
                )
            )
    return load_idx_split(folder, split)
