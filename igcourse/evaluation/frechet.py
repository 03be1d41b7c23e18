"""Frechet distance between two sets of features, each summarised as a Gaussian.

FD = |mu_a - mu_b|^2 + tr(S_a) + tr(S_b) - 2 tr((S_a S_b)^(1/2))   (Heusel et al., 2017)

The trace of the square root is computed without a general matrix square root (scipy's
sqrtm can return complex values and lose accuracy on near-singular covariances): with
R = S_a^(1/2) from a symmetric eigendecomposition, S_a S_b is similar to R S_b R, which is
symmetric positive semi-definite, so tr((S_a S_b)^(1/2)) is the sum of the square roots of
its eigenvalues. Everything is float64; round-off negatives are clipped to zero.
"""

from dataclasses import dataclass

import numpy as np

from igcourse.i18n import _


@dataclass(frozen=True)
class Gaussian:
    """Mean and covariance of a set of features (float64)."""

    mean: np.ndarray  # (D,)
    covariance: np.ndarray  # (D, D)
    count: int  # how many feature vectors they summarise


def fit_gaussian(features):
    """Mean and unbiased covariance of `features` (N, D), N >= 2."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(
            _("features must be (N, D) with N >= 2, got {shape}").format(shape=features.shape)
        )
    return Gaussian(features.mean(axis=0), np.cov(features, rowvar=False), len(features))


def _psd_sqrt(matrix):
    eigenvalues, eigenvectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ eigenvectors.T


def trace_sqrt_product(cov_a, cov_b):
    """tr((cov_a cov_b)^(1/2)) for symmetric PSD matrices, in float64."""
    root_a = _psd_sqrt(np.asarray(cov_a, dtype=np.float64))
    middle = root_a @ np.asarray(cov_b, dtype=np.float64) @ root_a  # (D, D), PSD
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    return float(np.sqrt(np.clip(eigenvalues, 0.0, None)).sum())


def frechet_distance(a, b):
    """Frechet distance between two Gaussians, or two feature arrays (N, D)."""
    a = a if isinstance(a, Gaussian) else fit_gaussian(a)
    b = b if isinstance(b, Gaussian) else fit_gaussian(b)
    if a.mean.shape != b.mean.shape:
        raise ValueError(
            _("feature sizes differ: {a} and {b}").format(a=a.mean.shape, b=b.mean.shape)
        )
    difference = a.mean - b.mean
    distance = (
        difference @ difference
        + np.trace(a.covariance)
        + np.trace(b.covariance)
        - 2 * trace_sqrt_product(a.covariance, b.covariance)
    )
    return max(float(distance), 0.0)


def real_floor(real_features, size, seed=0):
    """FD between two disjoint random subsets of `size` real feature vectors each.

    What a perfect generator scores with `size` samples: the distance that estimation noise
    alone produces. Report it beside any FD measured from `size` samples.
    """
    real_features = np.asarray(real_features)
    if 2 * size > len(real_features):
        raise ValueError(
            _("a floor for {size} needs {needed} real images, only {have} given").format(
                size=size, needed=2 * size, have=len(real_features)
            )
        )
    order = np.random.default_rng(seed).permutation(len(real_features))
    return frechet_distance(real_features[order[:size]], real_features[order[size : 2 * size]])
