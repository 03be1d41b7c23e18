"""Edges to shoes, offline: Canny edges of Fashion-MNIST's footwear, paired with the shoe.

Like pix2pix's edges2shoes, the input is a line drawing (dark lines on white) and the
target the photo of the same shoe.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from igcourse.data.derived._select import pick

FOOTWEAR = ("Sandal", "Sneaker", "Ankle boot")


@dataclass(frozen=True)
class EdgesToShoes:
    """Paired images: edges[i] is drawn from shoes[i]."""

    edges: np.ndarray  # uint8 (N, size, size): 0 on an edge, 255 elsewhere
    shoes: np.ndarray  # uint8 (N, size, size): the Fashion-MNIST item (white on black)
    labels: np.ndarray  # uint8 (N,): 5 Sandal, 7 Sneaker, 9 Ankle boot


def canny_edges(images, *, low=50, high=150):
    """Edges of each image as dark lines on white, like a sketch: uint8 (N, H, W)."""
    out = np.empty_like(images)
    for i, image in enumerate(images):
        smooth = cv2.GaussianBlur(image, (3, 3), 0)  # Canny on raw pixels finds texture noise
        out[i] = 255 - cv2.Canny(smooth, low, high)
    return out


def build_edges2shoes(split="train", *, size=32, seed=0, limit=None, low=50, high=150, data=None):
    """The paired edges-to-shoes set from Fashion-MNIST's Sandal, Sneaker and Ankle boot.

    Items are upscaled to size x size (bicubic; 32 suits a U-Net with 5 poolings) before
    the edges are found, shuffled with `seed`, and cut to `limit`.
    data: (images, labels) in place of load_fashion_mnist(split).
    """
    shoes, labels = pick(FOOTWEAR, split=split, seed=seed, limit=limit, size=size, data=data)
    return EdgesToShoes(canny_edges(shoes, low=low, high=high), shoes, labels)
