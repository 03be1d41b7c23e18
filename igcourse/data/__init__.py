"""Datasets as NumPy arrays and batches, offline first; the catalog and fetch for the rest."""

from igcourse.data.batching import ArraySource, Batches, batches
from igcourse.data.cache import data_dir
from igcourse.data.catalog import get_entry, load_catalog
from igcourse.data.celeba import CelebA
from igcourse.data.cifar10 import CIFAR10_CLASSES, load_cifar10
from igcourse.data.errors import (
    ChecksumMismatch,
    ChecksumNotPinned,
    DataError,
    DatasetNotFound,
    IncompleteDownload,
    ManualDownloadRequired,
    OfflineError,
    UnsafeArchive,
)
from igcourse.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist
from igcourse.data.fetch import fetch, where
from igcourse.data.idx import read_idx
from igcourse.data.images import ImageFiles, from_range, read_image, resize, to_range
from igcourse.data.label_maps import LabelMapFolder, colorize, one_hot, read_label_map
from igcourse.data.mnist import load_mnist
from igcourse.data.paired import PairedFolder, split_side_by_side
from igcourse.data.tfdata import as_tf_dataset
from igcourse.data.unpaired import UnpairedBatches, unpaired_sources
from igcourse.data.video import image_folder, read_video

__all__ = [
    "CIFAR10_CLASSES",
    "FASHION_MNIST_CLASSES",
    "ArraySource",
    "Batches",
    "CelebA",
    "ChecksumMismatch",
    "ChecksumNotPinned",
    "DataError",
    "DatasetNotFound",
    "ImageFiles",
    "IncompleteDownload",
    "LabelMapFolder",
    "ManualDownloadRequired",
    "OfflineError",
    "PairedFolder",
    "UnpairedBatches",
    "UnsafeArchive",
    "as_tf_dataset",
    "batches",
    "colorize",
    "data_dir",
    "fetch",
    "from_range",
    "get_entry",
    "image_folder",
    "load_catalog",
    "load_cifar10",
    "load_fashion_mnist",
    "load_mnist",
    "one_hot",
    "read_idx",
    "read_image",
    "read_label_map",
    "read_video",
    "resize",
    "split_side_by_side",
    "to_range",
    "unpaired_sources",
    "where",
]
