"""CIFAR-10, python version: cifar-10-batches-py/data_batch_1..5 and test_batch.

These files are Python pickles, and unpickling can run code. They are only read
(1) from the archive that fetch verified against its pinned sha256, and (2) through a
restricted unpickler that builds nothing but plain containers and NumPy arrays; any
other global in the stream is refused. Do not point this loader at pickles from
elsewhere.
"""

import pickle
from pathlib import Path

import numpy as np

from igcourse.data.errors import DataError, DatasetNotFound
from igcourse.i18n import _

CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
SPLIT_FILES = {
    "train": tuple(f"data_batch_{i}" for i in range(1, 6)),
    "test": ("test_batch",),
}
# The only globals a CIFAR-10 batch refers to: how NumPy rebuilds an array (and how a
# protocol-2 pickle written by Python 3 spells bytes).
_ALLOWED = {
    ("_codecs", "encode"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
}


class UnsafePickle(DataError):
    """The pickle asks for something other than NumPy arrays."""


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise UnsafePickle(
                _(
                    "refused to unpickle {module}.{name}: a CIFAR-10 batch needs only NumPy "
                    "arrays, so this file is not one"
                ).format(module=module, name=name)
            )
        return super().find_class(module, name)


def read_batch(path):
    """(images uint8 (N, 32, 32, 3), labels uint8 (N,)) of one CIFAR-10 batch file."""
    with open(path, "rb") as f:
        batch = _RestrictedUnpickler(f, encoding="bytes").load()
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise DataError(_("{path} is not a CIFAR-10 batch").format(path=path))
    data = np.asarray(batch[b"data"], np.uint8)
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # rows are R, G, B planes
    return images, np.asarray(batch[b"labels"], np.uint8)


def load_cifar10(split="train", folder=None, cache_dir=None):
    """(images uint8 (N, 32, 32, 3), labels uint8 (N,)) of CIFAR-10's train or test split.

    folder: the one holding cifar-10-batches-py (or that folder itself); default: where
    `igcourse data fetch cifar-10` put it.
    """
    if split not in SPLIT_FILES:
        raise ValueError(_("split must be 'train' or 'test', not {split!r}").format(split=split))
    if folder is None:
        from igcourse.data.fetch import where

        folder = where("cifar-10", cache_dir)
        if folder is None:
            raise DatasetNotFound(
                _(
                    "CIFAR-10 is not on this machine. Get it with `igcourse data fetch cifar-10` "
                    "(about 170 MB)."
                )
            )
    folder = Path(folder)
    if (folder / "cifar-10-batches-py").is_dir():
        folder = folder / "cifar-10-batches-py"
    missing = [name for name in SPLIT_FILES[split] if not (folder / name).exists()]
    if missing:
        raise DatasetNotFound(
            _("{folder} lacks {missing}: not a CIFAR-10 python folder").format(
                folder=folder, missing=", ".join(missing)
            )
        )
    parts = [read_batch(folder / name) for name in SPLIT_FILES[split]]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
