"""pix2pix's paired layout: each file holds the two images side by side, A | B."""

from pathlib import Path

import numpy as np

from igcourse.data.errors import DatasetNotFound
from igcourse.data.images import list_images, read_image, resize, to_range
from igcourse.i18n import _


def split_side_by_side(image):
    """(left, right) halves of a side-by-side pair (H, 2W[, C])."""
    width = image.shape[1] // 2
    if image.shape[1] != 2 * width:
        raise ValueError(
            _("a side-by-side pair must have an even width, not {w}").format(w=image.shape[1])
        )
    return image[:, :width], image[:, width:]


class PairedFolder:
    """pix2pix files in root/<split>/*.jpg; take(indices) -> (inputs, targets).

    The left half is A, the right half B. For facades the photo is on the left and
    the label map on the right, so a label-to-photo model wants direction="BtoA";
    for edges2shoes the edges are on the left (direction="AtoB", the default).
    """

    def __init__(
        self,
        root,
        split="train",
        *,
        direction="AtoB",
        size=None,
        value_range=(-1.0, 1.0),
        grayscale=False,
    ):
        folder = Path(root) / split
        self.paths = list_images(folder, recursive=False)
        if not self.paths:
            raise DatasetNotFound(
                _("no images in {folder}: not a pix2pix dataset folder").format(folder=folder)
            )
        if direction not in ("AtoB", "BtoA"):
            raise ValueError(_("direction must be 'AtoB' or 'BtoA'"))
        self.direction, self.size = direction, size
        self.value_range, self.grayscale = value_range, grayscale

    def __len__(self):
        return len(self.paths)

    def load(self, index):
        """(input, target) of one pair, resized, as uint8."""
        a, b = split_side_by_side(read_image(self.paths[index], grayscale=self.grayscale))
        if self.size is not None:
            a, b = resize(a, self.size), resize(b, self.size)
        return (a, b) if self.direction == "AtoB" else (b, a)

    def take(self, indices):
        pairs = [self.load(int(i)) for i in indices]
        inputs = np.stack([p[0] for p in pairs])
        targets = np.stack([p[1] for p in pairs])
        return to_range(inputs, self.value_range), to_range(targets, self.value_range)
