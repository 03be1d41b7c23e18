"""Features of real images of a domain, computed once per process with the evaluator.

The reference that samples are compared with is the domain's test split (10,000 images
for Fashion-MNIST): real images that neither the evaluator nor the generators trained on.
Real training images, in a fixed seeded order, give the real-vs-real floor.
"""

import functools

import numpy as np

from igcourse.evaluation.classifier import load_evaluator
from igcourse.evaluation.domains import load_split
from igcourse.evaluation.images import from_uint8

_ORDER_SEED = 0


@functools.cache
def reference_features(domain="fashion_mnist"):
    """(features (N, D), probabilities (N, K), labels (N,)) of the domain's test split."""
    images, labels = load_split(domain, "test")
    features, probabilities = load_evaluator(domain).features_and_probabilities(from_uint8(images))
    return features, probabilities, labels


@functools.cache
def training_features(domain="fashion_mnist", count=10_000):
    """Features (count, D) of `count` training images in a fixed seeded random order."""
    images, _labels = load_split(domain, "train")
    count = min(count, len(images))
    order = np.random.default_rng(_ORDER_SEED).permutation(len(images))[:count]
    features, _probabilities = load_evaluator(domain).features_and_probabilities(
        from_uint8(images[order])
    )
    return features
