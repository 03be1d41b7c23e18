"""CycleGAN's unpaired layout: root/trainA, trainB, testA, testB, each a folder of images."""

from pathlib import Path

from igcourse.data.batching import Batches
from igcourse.data.errors import DatasetNotFound
from igcourse.data.images import ImageFiles, list_images
from igcourse.i18n import _


def unpaired_sources(root, split="train", *, size=None, value_range=(-1.0, 1.0)):
    """(domain A, domain B) as ImageFiles, from root/<split>A and root/<split>B."""
    sources = []
    for domain in ("A", "B"):
        folder = Path(root) / f"{split}{domain}"
        paths = list_images(folder, recursive=False)
        if not paths:
            raise DatasetNotFound(
                _("no images in {folder}: not a CycleGAN dataset folder").format(folder=folder)
            )
        sources.append(ImageFiles(paths, size=size, value_range=value_range))
    return tuple(sources)


class UnpairedBatches:
    """Batches of (a, b) drawn independently from two domains.

    Each domain has its own seeded shuffle, so which a meets which b changes every epoch;
    an epoch is as long as the larger domain, and the smaller one wraps around.
    """

    def __init__(self, a, b, batch_size, *, seed=0):
        self.a = Batches(a, batch_size, seed=seed)
        self.b = Batches(b, batch_size, seed=seed + 1)

    def __len__(self):
        return max(len(self.a), len(self.b))

    def peek(self):
        """The first (a, b) of the coming epoch, without starting it."""
        return self.a.peek()[0], self.b.peek()[0]

    def __iter__(self):
        a_iter, b_iter = iter(self.a), iter(self.b)
        for _step in range(len(self)):
            a_batch = next(a_iter, None)
            if a_batch is None:
                a_iter = iter(self.a)
                a_batch = next(a_iter)
            b_batch = next(b_iter, None)
            if b_batch is None:
                b_iter = iter(self.b)
                b_batch = next(b_iter)
            yield a_batch[0], b_batch[0]
