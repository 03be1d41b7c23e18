"""NumPy batches from any indexable source: seeded shuffling, fixed batch shapes."""

import numpy as np

from igcourse.i18n import _


class ArraySource:
    """Arrays of equal length, taken together: take(indices) -> tuple of arrays."""

    def __init__(self, *arrays):
        if not arrays or len({len(a) for a in arrays}) != 1:
            raise ValueError(_("ArraySource needs one or more arrays of equal length"))
        self.arrays = arrays

    def __len__(self):
        return len(self.arrays[0])

    def take(self, indices):
        return tuple(a[indices] for a in self.arrays)


class Batches:
    """One epoch of batches each time it is iterated.

    source: anything with len() and take(indices) -> tuple of arrays (ArraySource,
    ImageFiles, the loaders' sources). Epoch k is shuffled with the generator seeded
    by (seed, k), so a run is reproducible and each epoch has its own order. With
    drop_remainder (the default) every batch has exactly batch_size items, which keeps
    tf.function from retracing on a short last batch.
    """

    def __init__(self, source, batch_size, *, shuffle=True, seed=0, drop_remainder=True):
        if batch_size < 1:
            raise ValueError(_("batch_size must be at least 1"))
        if drop_remainder and len(source) < batch_size:
            raise ValueError(
                _("{n} items make no full batch of {batch_size}").format(
                    n=len(source), batch_size=batch_size
                )
            )
        self.source = source
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.drop_remainder = drop_remainder
        self.epoch = 0

    def __len__(self):
        n = len(self.source)
        return n // self.batch_size if self.drop_remainder else -(-n // self.batch_size)

    def order(self, epoch):
        """The item order of epoch `epoch`."""
        n = len(self.source)
        if not self.shuffle:
            return np.arange(n)
        return np.random.default_rng([self.seed, epoch]).permutation(n)

    def peek(self):
        """The first batch of the coming epoch, without starting it."""
        return self.source.take(self.order(self.epoch)[: self.batch_size])

    def __iter__(self):
        order = self.order(self.epoch)
        self.epoch += 1
        size = self.batch_size
        for b in range(len(self)):
            yield self.source.take(order[b * size : (b + 1) * size])


def batches(*arrays, batch_size, shuffle=True, seed=0, drop_remainder=True):
    """Batches over in-memory arrays: `for images, labels in batches(x, y, batch_size=64)`."""
    return Batches(
        ArraySource(*arrays),
        batch_size,
        shuffle=shuffle,
        seed=seed,
        drop_remainder=drop_remainder,
    )
