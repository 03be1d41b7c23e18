"""Datasets as NumPy arrays, offline first."""

from igcourse.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist
from igcourse.data.idx import read_idx

__all__ = ["FASHION_MNIST_CLASSES", "load_fashion_mnist", "read_idx"]
