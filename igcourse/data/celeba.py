"""CelebA in its published layout.

img_align_celeba/*.jpg, list_attr_celeba.txt and list_eval_partition.txt.
"""

from pathlib import Path

import numpy as np

from igcourse.data.errors import DatasetNotFound
from igcourse.data.images import ImageFiles
from igcourse.i18n import _

SPLITS = {"train": 0, "validation": 1, "test": 2}
# Where each part may be: the flat layout the fetcher makes, or the Drive folder's Img/Anno/Eval.
_CANDIDATES = {
    "images": ("img_align_celeba", "Img/img_align_celeba"),
    "attributes": ("list_attr_celeba.txt", "Anno/list_attr_celeba.txt"),
    "partitions": ("list_eval_partition.txt", "Eval/list_eval_partition.txt"),
}


def read_attributes(path):
    """(attribute names, file names, values) of list_attr_celeba.txt; values int8 (N, 40) in {0, 1}.

    The file starts with the number of images, then a line of attribute names, then one
    line per image: its file name and 40 values of 1 or -1.
    """
    with open(path, encoding="utf-8") as f:
        count = int(f.readline())
        names = f.readline().split()
        files, rows = [], []
        for line in f:
            fields = line.split()
            if fields:
                files.append(fields[0])
                rows.append([int(v) > 0 for v in fields[1:]])
    values = np.asarray(rows, dtype=np.int8).reshape(len(rows), len(names))
    if len(files) != count:
        raise ValueError(
            _("{path} announces {count} images but lists {n}").format(
                path=path, count=count, n=len(files)
            )
        )
    return names, files, values


def read_partitions(path):
    """{file name: 0 (train), 1 (validation) or 2 (test)} from list_eval_partition.txt."""
    with open(path, encoding="utf-8") as f:
        return {name: int(part) for name, part in (line.split() for line in f if line.strip())}


class CelebA:
    """A CelebA folder. celeba.source("test", where={"Male": True}, size=64) -> ImageFiles."""

    def __init__(self, root):
        self.root = Path(root)
        self.images_dir, attributes, partitions = (
            self._find(part) for part in ("images", "attributes", "partitions")
        )
        self.attribute_names, self.files, self.attributes = read_attributes(attributes)
        self.partitions = read_partitions(partitions)

    def _find(self, part):
        for relative in _CANDIDATES[part]:
            if (self.root / relative).exists():
                return self.root / relative
        raise DatasetNotFound(
            _(
                "{root} is not a CelebA folder: {wanted} is missing. "
                "Get CelebA with `igcourse data fetch celeba` (it says what to download)."
            ).format(root=self.root, wanted=_CANDIDATES[part][0])
        )

    def select(self, split="all", where=None):
        """Indices of the images in `split` ("train", "validation", "test", "all") whose
        attributes match `where`, e.g. {"Male": True, "Eyeglasses": False}."""
        keep = np.ones(len(self.files), bool)
        if split != "all":
            if split not in SPLITS:
                raise ValueError(
                    _("split must be one of {splits} or 'all', not {split!r}").format(
                        splits=", ".join(SPLITS), split=split
                    )
                )
            keep &= np.array([self.partitions.get(f) == SPLITS[split] for f in self.files])
        for name, wanted in (where or {}).items():
            if name not in self.attribute_names:
                raise ValueError(
                    _("no CelebA attribute {name!r}; they are: {names}").format(
                        name=name, names=", ".join(self.attribute_names)
                    )
                )
            keep &= self.attributes[:, self.attribute_names.index(name)] == int(bool(wanted))
        return np.flatnonzero(keep)

    def source(self, split="train", *, where=None, size=None, crop=None, value_range=(0.0, 1.0)):
        """ImageFiles of the selected faces; take() gives (images, attributes (B, 40) int8)."""
        indices = self.select(split, where)
        return ImageFiles(
            [self.images_dir / self.files[i] for i in indices],
            labels=self.attributes[indices],
            size=size,
            crop=crop,
            value_range=value_range,
        )
