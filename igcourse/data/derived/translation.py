"""Unpaired class-to-class translation (CycleGAN), offline: two Fashion-MNIST classes."""

from dataclasses import dataclass

import numpy as np

from igcourse.data.derived._select import pick

TRANSLATION_PAIRS = {
    "sneaker2boot": ("Sneaker", "Ankle boot"),
    "tshirt2shirt": ("T-shirt/top", "Shirt"),
    "sandal2sneaker": ("Sandal", "Sneaker"),
}


@dataclass(frozen=True)
class Unpaired:
    """Two domains with no correspondence between a[i] and b[i]."""

    a: np.ndarray  # uint8 (N_a, size, size)
    b: np.ndarray  # uint8 (N_b, size, size)
    names: tuple  # (class of A, class of B)


def build_unpaired(pair="sneaker2boot", split="train", *, size=None, seed=0, limit=None, data=None):
    """Domain A and domain B of a translation pair, each shuffled with its own seed.

    pair: a key of TRANSLATION_PAIRS, or a tuple of two class names.
    data: (images, labels) in place of load_fashion_mnist(split).
    """
    names = TRANSLATION_PAIRS[pair] if isinstance(pair, str) else tuple(pair)
    a, _labels = pick(names[:1], split=split, seed=seed, limit=limit, size=size, data=data)
    b, _labels = pick(names[1:], split=split, seed=seed + 1, limit=limit, size=size, data=data)
    return Unpaired(a, b, names)
