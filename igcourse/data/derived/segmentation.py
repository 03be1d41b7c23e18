"""Label maps for SPADE (GauGAN), offline: each Fashion-MNIST item cut from its background.

The item is everything brighter than `threshold`, plus the dark holes it encloses; its
pixels get the label 1 + its class, the background 0. Eleven labels in all.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from igcourse.data.derived._select import pick
from igcourse.data.fashion_mnist import FASHION_MNIST_CLASSES

NUM_LABELS = len(FASHION_MNIST_CLASSES) + 1  # background + 10 classes
# Background black, then one clearly different colour per class (Tableau 10).
LABEL_PALETTE = np.array(
    [
        (0, 0, 0),
        (31, 119, 180),
        (255, 127, 14),
        (44, 160, 44),
        (214, 39, 40),
        (148, 103, 189),
        (140, 86, 75),
        (227, 119, 194),
        (127, 127, 127),
        (188, 189, 34),
        (23, 190, 207),
    ],
    dtype=np.uint8,
)


@dataclass(frozen=True)
class SpadeMaps:
    """Images with their label maps and colour maps."""

    images: np.ndarray  # uint8 (N, H, W)
    labels: np.ndarray  # uint8 (N, H, W): 0 background, 1 + class on the item
    colours: np.ndarray  # uint8 (N, H, W, 3): LABEL_PALETTE[labels]
    classes: np.ndarray  # uint8 (N,): Fashion-MNIST class of each item


def item_mask(image, threshold=16):
    """bool (H, W): the item's pixels, holes filled (pixels not reachable from the border)."""
    mask = (image > threshold).astype(np.uint8)
    outside = np.pad(1 - mask, 1, constant_values=1)
    flood = np.zeros((outside.shape[0] + 2, outside.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, flood, (0, 0), 2)
    return outside[1:-1, 1:-1] != 2


def build_label_maps(
    split="train",
    *,
    size=None,
    seed=0,
    limit=None,
    threshold=16,
    classes=FASHION_MNIST_CLASSES,
    data=None,
):
    """Class-coloured label maps of Fashion-MNIST items (all classes by default).

    The mask is found at the item's size, after the optional resize (bicubic up), so the
    label map and the image line up pixel for pixel.
    data: (images, labels) in place of load_fashion_mnist(split).
    """
    images, labels = pick(classes, split=split, seed=seed, limit=limit, size=size, data=data)
    maps = np.zeros(images.shape, np.uint8)
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        maps[i][item_mask(image, threshold)] = label + 1
    return SpadeMaps(images, maps, LABEL_PALETTE[maps], labels)
