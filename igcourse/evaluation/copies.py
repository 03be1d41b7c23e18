"""Nearest-neighbour copy check: flag samples that are near-copies of training images.

A generator can score a good FD by reproducing its training set. Each sample is compared
with its nearest training image in pixel space, made blind to overall brightness and less
sensitive to pixel noise:

1. every image is divided by its L2 norm (a copy at 80%-110% brightness becomes exact);
2. projected onto the top 64 principal components of the normalised training images (pixel
   noise spreads over all 784 dimensions, image content mostly lies in these 64);
3. the distance to the nearest training image in that space is multiplied back by the
   sample's norm, so it is in the sample's own pixel units: about the L2 norm of whatever
   separates the sample from a rescaled training image.

A sample is flagged when that distance is below the threshold, the 0.5% quantile of the
same distance for the first 5,000 real test images (see calibrate_threshold), and its
brightness (L2 norm) is within a factor 1.5 of the training image's (a black image is
nobody's copy). So by construction about 0.5% of real unseen images are flagged (measured
on the other 5,000 test images: see docs/evaluation.md), while exact copies and copies
under Gaussian pixel noise up to std 0.05, brightness 0.8-1.1x or 16-level quantisation are
caught (>= 99.9%). Blurred or shifted copies are not reliably caught: this check finds
copies, not resemblance.
"""

import functools
from dataclasses import dataclass

import numpy as np

from igcourse.evaluation.domains import load_split
from igcourse.evaluation.images import as_images, from_uint8

COMPONENTS = 64
# calibrate_threshold("fashion_mnist"): the 0.5% quantile over test images 0-4999.
THRESHOLDS = {"fashion_mnist": 0.72146}  # pixel units (L2 of floats in [0, 1])
CALIBRATION_QUANTILE = 0.005
_PCA_STRIDE = 6  # principal components from every 6th training image: 10,000 of 60,000
_BLOCK = 256  # queries per block: a (256, 60000) float32 score block, 61 MB
# a copy's brightness is within this factor of its training image's; without the bound an
# all-black sample would sit at distance 0 from everything
MAX_BRIGHTNESS_RATIO = 1.5


@dataclass(frozen=True)
class CopyCheck:
    """Distances of samples to their nearest training images and which are copies."""

    distances: np.ndarray  # (N,) distance to the nearest training image, in pixel units
    nearest: np.ndarray  # (N,) index of that training image
    brightness: np.ndarray  # (N,) sample's L2 norm / that training image's
    flagged: np.ndarray  # (N,) bool: distance < threshold, brightness ratio within bounds
    threshold: float

    @property
    def fraction_flagged(self):
        return float(self.flagged.mean())


def _unit(pixels):
    norms = np.sqrt(np.einsum("ij,ij->i", pixels, pixels))
    return pixels / np.maximum(norms, 1e-6)[:, None], norms


class TrainingSetIndex:
    """The training images of a domain, normalised and projected, ready for NN queries."""

    def __init__(self, train_images, components=COMPONENTS):
        # no division by 255: the unit vectors are the same without it
        unit, norms = _unit(train_images.reshape(len(train_images), -1).astype(np.float32))
        self.norms = norms / 255.0  # (M,) in the pixel units of floats in [0, 1]
        sample = unit[::_PCA_STRIDE].astype(np.float64)
        self.mean = sample.mean(axis=0)
        centred = sample - self.mean
        _values, vectors = np.linalg.eigh(centred.T @ centred)
        self.basis = vectors[:, ::-1][:, :components].astype(np.float32)  # (784, k)
        self.codes = self.project(unit)  # (M, k)
        # |q - c|^2 = |q|^2 + (|c|^2 - 2 q.c); the bracket is one product [-2q, 1] . [c, |c|^2],
        # and |q|^2 does not change which c is nearest
        squared = (self.codes.astype(np.float64) ** 2).sum(axis=1, keepdims=True)
        self._augmented = np.ascontiguousarray(
            np.concatenate([self.codes, squared.astype(np.float32)], axis=1).T
        )  # (k + 1, M)

    def project(self, unit_pixels):
        return ((unit_pixels - self.mean.astype(np.float32)) @ self.basis).astype(np.float32)

    def nearest(self, images):
        """(distances, indices, brightness ratios) of each image's nearest training image."""
        pixels = as_images(images).reshape(len(images), -1)
        unit, norms = _unit(pixels)
        codes = self.project(unit)
        queries = np.concatenate([-2 * codes, np.ones((len(codes), 1), np.float32)], axis=1)
        indices = np.empty(len(codes), dtype=np.int64)
        for start in range(0, len(codes), _BLOCK):
            scores = queries[start : start + _BLOCK] @ self._augmented  # (block, M)
            indices[start : start + _BLOCK] = scores.argmin(axis=1)
        # the chosen neighbour's distance again, exactly and in float64
        gaps = codes.astype(np.float64) - self.codes[indices]
        ratios = norms / np.maximum(self.norms[indices], 1e-6)
        return np.linalg.norm(gaps, axis=1) * norms, indices, ratios


@functools.cache
def training_set_index(domain="fashion_mnist"):
    """The (cached) TrainingSetIndex of `domain`'s training split."""
    images, _labels = load_split(domain, "train")
    return TrainingSetIndex(images)


def copy_threshold(domain="fashion_mnist"):
    """The committed threshold of `domain`, or one calibrated now where none is committed."""
    if domain not in THRESHOLDS:
        THRESHOLDS[domain] = calibrate_threshold(domain)
    return THRESHOLDS[domain]


def check_copies(images, domain="fashion_mnist", threshold=None):
    """Flag the samples (floats in [0, 1], (N, 28, 28[, 1])) that copy training images."""
    threshold = copy_threshold(domain) if threshold is None else threshold
    distances, nearest, ratios = training_set_index(domain).nearest(images)
    similar_brightness = (ratios < MAX_BRIGHTNESS_RATIO) & (ratios > 1 / MAX_BRIGHTNESS_RATIO)
    flagged = (distances < threshold) & similar_brightness
    return CopyCheck(distances, nearest, ratios, flagged, float(threshold))


def calibrate_threshold(domain="fashion_mnist", quantile=CALIBRATION_QUANTILE, count=5000):
    """The `quantile` of nearest-training-image distances of the first `count` test images."""
    images, _labels = load_split(domain, "test")
    distances, _nearest, _ratios = training_set_index(domain).nearest(from_uint8(images[:count]))
    return float(np.quantile(distances, quantile))
