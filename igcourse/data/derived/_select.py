"""Pick the items of some classes from Fashion-MNIST, in a seeded order."""

import numpy as np

from igcourse.data.fashion_mnist import class_index, load_fashion_mnist
from igcourse.data.images import resize_batch


def pick(classes, *, split="train", seed=0, limit=None, size=None, data=None):
    """(images, labels) of `classes` (names or indices), shuffled with `seed`, at most `limit`.

    data: (images, labels) to use instead of load_fashion_mnist(split), e.g. in tests.
    """
    images, labels = data if data is not None else load_fashion_mnist(split)
    wanted = [class_index(c) for c in classes]
    indices = np.flatnonzero(np.isin(labels, wanted))
    indices = np.random.default_rng(seed).permutation(indices)[:limit]
    picked = np.asarray(images[indices])
    if size is not None:
        picked = resize_batch(picked, size)
    return picked, np.asarray(labels[indices])
